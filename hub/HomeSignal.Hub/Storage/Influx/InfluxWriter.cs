using System.Text;
using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Logging;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>Counters of the InfluxDB store since start (for the hub's health page and metrics).</summary>
public sealed record InfluxStoreStatistics(
    long PointsWritten,
    long WriteRequests,
    long Retries,
    long Quarantined,
    long RefusedPoints,
    long FailedWrites,
    int Queued,
    string? LastError);

/// <summary>
/// Group commit to InfluxDB: callers put points into a bounded queue (waiting when it is full: back-pressure), a few
/// writer loops take whatever is queued (up to <see cref="InfluxOptions.BatchSize"/>) and POST it, retrying with
/// backoff while InfluxDB is down or answers 5xx. A caller's task completes only after InfluxDB answered 204 for every
/// one of its points, which is when the hub may ack them.
/// </summary>
internal sealed class InfluxWriter
{
    private readonly InfluxApi _api;
    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingPoint> _queue;
    private long _pointsWritten;
    private long _requests;
    private long _retries;
    private long _quarantined;
    private long _refused;
    private long _failedWrites;
    private string? _lastError;

    public InfluxWriter(InfluxApi api, InfluxOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingPoint>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = options.Writers == 1,
            SingleWriter = false,
        });
    }

    public InfluxStoreStatistics Statistics => new(
        Interlocked.Read(ref _pointsWritten),
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _retries),
        Interlocked.Read(ref _quarantined),
        Interlocked.Read(ref _refused),
        Interlocked.Read(ref _failedWrites),
        _queue.Reader.CanCount ? _queue.Reader.Count : -1,
        Volatile.Read(ref _lastError));

    /// <summary>Queues the points of one call and waits until all of them are durable (or one failed for good).</summary>
    public async Task<IReadOnlyList<StoreOutcome>> WriteAsync(IEnumerable<PendingPoint> points, PendingCall call, CancellationToken cancellationToken)
    {
        foreach (var point in points)
        {
            // Waits while the queue is full: the caller (the MQTT consumer) slows down instead of buffering without bound.
            await _queue.Writer.WriteAsync(point, cancellationToken);
        }

        return await call.Task.WaitAsync(cancellationToken);
    }

    /// <summary>One writer loop; runs until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<PendingPoint>(_options.BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                Fill(batch);
                if (batch.Count < _options.BatchSize && _options.BatchDelay > TimeSpan.Zero)
                {
                    await Task.Delay(_options.BatchDelay, _time, stopping);
                    Fill(batch);
                }

                if (batch.Count > 0)
                {
                    try
                    {
                        await WriteBatchAsync(batch, stopping);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                    {
                        // A bug must not stop the writer: this batch's callers get the error (nothing is acked) and
                        // the loop goes on with the next batch.
                        Interlocked.Increment(ref _failedWrites);
                        Volatile.Write(ref _lastError, $"Unexpected failure writing to InfluxDB: {ex.Message}");
                        _logger.LogError(ex, "Unexpected failure writing a batch of {Points} point(s) to InfluxDB", batch.Count);
                        foreach (var point in batch)
                        {
                            point.Call.Fail(ex);
                        }
                    }

                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var stopped = new OperationCanceledException("The InfluxDB store stopped before these events were durable.");
            foreach (var point in batch)
            {
                point.Call.Fail(stopped);
            }
        }
    }

    /// <summary>
    /// Fails every call still queued (after the writers stopped): their events were not stored, so not acked. The
    /// queue stays open, so the store can be started again.
    /// </summary>
    public void FailQueued()
    {
        var stopped = new OperationCanceledException("The InfluxDB store stopped before these events were durable.");
        while (_queue.Reader.TryRead(out var point))
        {
            point.Call.Fail(stopped);
        }
    }

    /// <summary>Writes lines straight to a retention policy (aggregates), retrying transient failures; throws when refused.</summary>
    public async Task WriteDirectAsync(string retentionPolicy, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        for (var start = 0; start < lines.Count; start += _options.BatchSize)
        {
            var chunk = lines.Skip(start).Take(_options.BatchSize).ToList();
            var answer = await WriteDurablyAsync(retentionPolicy, string.Join('\n', chunk), chunk.Count, cancellationToken);
            if (!answer.Durable)
            {
                Interlocked.Increment(ref _failedWrites);
                var message = $"InfluxDB refused a write of {chunk.Count} point(s) to '{_options.Database}.{retentionPolicy}' with {(int)answer.Status} {answer.Status}: {answer.Error}";
                Volatile.Write(ref _lastError, message);
                throw new InfluxException(message, answer.Status);
            }

            Interlocked.Add(ref _pointsWritten, chunk.Count);
        }
    }

    private void Fill(List<PendingPoint> batch)
    {
        while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var point))
        {
            batch.Add(point);
        }
    }

    private async Task WriteBatchAsync(List<PendingPoint> batch, CancellationToken stopping)
    {
        var body = new StringBuilder(batch.Count * 160);
        foreach (var point in batch)
        {
            body.Append(point.Line).Append('\n');
        }

        var answer = await WriteDurablyAsync(InfluxSchema.RawPolicy, body.ToString(), batch.Count, stopping);
        if (answer.Durable)
        {
            Interlocked.Add(ref _pointsWritten, batch.Count);
            foreach (var point in batch)
            {
                if (point.Outcome == StoreOutcome.Quarantined)
                {
                    Interlocked.Increment(ref _quarantined);
                }

                point.Call.Complete(point.Index, point.Outcome);
            }

            return;
        }

        if (answer.PointsRefused && batch.Count > 1)
        {
            // One bad point must not hold back the others: split until the refused points are alone (writes are
            // idempotent, so points InfluxDB already took in a partial write are simply written again).
            var half = batch.Count / 2;
            await WriteBatchAsync(batch.GetRange(0, half), stopping);
            await WriteBatchAsync(batch.GetRange(half, batch.Count - half), stopping);
            return;
        }

        if (answer.PointsRefused && batch[0].Outcome == StoreOutcome.Stored)
        {
            // InfluxDB will never take this point as an event; keep it in quarantine with the reason, never drop it.
            Interlocked.Increment(ref _refused);
            var point = batch[0];
            var reason = $"refused by InfluxDB ({(int)answer.Status}): {answer.Error}";
            _logger.LogWarning("InfluxDB refused event {Kit}/{Boot}/{Seq}; quarantined: {Error}", point.Event.KitId, point.Event.BootId, point.Event.Seq, answer.Error);
            var quarantined = point with { Line = InfluxSchema.QuarantineLine(point.Event, point.ReceivedAt, reason), Outcome = StoreOutcome.Quarantined };
            await WriteBatchAsync([quarantined], stopping);
            return;
        }

        // Not retryable (database missing, not authorised, quarantine refused too): say so to every caller; their
        // events are not acked, so the kits keep them and send them again.
        Interlocked.Increment(ref _failedWrites);
        var message = $"InfluxDB refused a write of {batch.Count} point(s) to database '{_options.Database}' with {(int)answer.Status} {answer.Status}: {answer.Error}";
        Volatile.Write(ref _lastError, message);
        _logger.LogError("{Message}", message);
        var error = new InfluxException(message, answer.Status);
        foreach (var point in batch)
        {
            point.Call.Fail(error);
        }
    }

    /// <summary>POSTs until InfluxDB gives a definite answer; unreachable, timeouts and 5xx are retried with backoff.</summary>
    private async Task<WriteAnswer> WriteDurablyAsync(string retentionPolicy, string body, int points, CancellationToken stopping)
    {
        var delay = _options.RetryInitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                Interlocked.Increment(ref _requests);
                var answer = await _api.WriteAsync(retentionPolicy, body, stopping);
                if (!answer.Transient)
                {
                    if (attempt > 1 && answer.Durable)
                    {
                        _logger.LogInformation("InfluxDB took a batch of {Points} point(s) after {Attempts} attempts", points, attempt);
                    }

                    return answer;
                }

                problem = $"{(int)answer.Status} {answer.Error}";
            }
            catch (HttpRequestException ex)
            {
                problem = ex.Message;
            }

            Interlocked.Increment(ref _retries);
            Volatile.Write(ref _lastError, $"InfluxDB write failed (attempt {attempt}): {problem}");
            if (attempt == 1 || attempt % 20 == 0)
            {
                _logger.LogWarning("InfluxDB write of {Points} point(s) failed (attempt {Attempt}), retrying: {Problem}", points, attempt, problem);
            }

            // Jitter keeps several hubs or writers from hammering a recovering InfluxDB in lock-step.
            var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
            await Task.Delay(delay * jitter, _time, stopping);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaxDelay.Ticks));
        }
    }
}

/// <summary>One point waiting to be written, and the call it belongs to.</summary>
internal sealed record PendingPoint(string Line, SensorEvent Event, DateTimeOffset ReceivedAt, StoreOutcome Outcome, PendingCall Call, int Index);

/// <summary>One caller's events: completes when all are durable, fails when one cannot be stored.</summary>
internal sealed class PendingCall
{
    private readonly TaskCompletionSource<IReadOnlyList<StoreOutcome>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StoreOutcome[] _outcomes;
    private int _remaining;

    public PendingCall(int count)
    {
        _outcomes = new StoreOutcome[count];
        _remaining = count;
        if (count == 0)
        {
            _done.TrySetResult(_outcomes);
        }
    }

    public Task<IReadOnlyList<StoreOutcome>> Task => _done.Task;

    public void Complete(int index, StoreOutcome outcome)
    {
        _outcomes[index] = outcome;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult(_outcomes);
        }
    }

    public void Fail(Exception error) => _done.TrySetException(error);
}
