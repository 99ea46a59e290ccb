using System.Threading.Channels;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// Bounded queue → batch writer → acknowledgements. A batch is whatever is waiting (up to the batch size), written in
/// one transaction; only then is it handed to the acknowledging stage, which settles the MQTT messages with the broker
/// and tells each kit what of it became durable, in one HubAck per kit for possibly several batches (see
/// <see cref="PendingHubAcks"/>).
/// The two stages overlap: while one batch is being acknowledged the next is being written, but nothing is
/// acknowledged before its own commit. When the queue is full, <see cref="EnqueueAsync"/> waits, so the hub stops
/// taking messages and the broker keeps them.
/// </summary>
public sealed partial class IngestionPipeline
{
    /// <summary>Stored batches waiting for their acks; when full, the writer waits (acks cannot fall behind unboundedly).</summary>
    private const int StoredBatchesWaiting = 4;

    private readonly Channel<IngestItem> _queue;
    private readonly IEventStore _store;
    private readonly KitHealthTracker _health;
    private readonly IngestStats _stats;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestionPipeline> _logger;
    private readonly IReadOnlyList<IStoredEventObserver> _observers;
    private readonly PendingHubAcks _acks;
    private readonly Lock _idleLock = new();
    private long _pending;
    private TaskCompletionSource? _idle;
    private volatile bool _shuttingDown;

    public IngestionPipeline(IEventStore store, KitHealthTracker health, IngestStats stats, IOptions<IngestionOptions> options, TimeProvider time, ILogger<IngestionPipeline> logger, IEnumerable<IStoredEventObserver>? observers = null)
    {
        _observers = [.. observers ?? []];
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _health = health;
        _stats = stats;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _acks = new PendingHubAcks(_options.AckInterval, _options.AckAfterEvents);
        _queue = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Sends one kit's HubAck; set by the MQTT connection.</summary>
    public Func<HubAck, CancellationToken, Task>? AckSender { get; set; }

    /// <summary>Gathers the connection's writes while one stored batch is acknowledged; set by the MQTT connection.</summary>
    public Func<WriteBatch>? BeginWriteBatch { get; set; }

    /// <summary>Items taken from the broker and not yet settled (stored and acknowledged, or given up at shutdown).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public ValueTask EnqueueAsync(IngestItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pending);
        var write = _queue.Writer.WriteAsync(item, cancellationToken);
        return write.IsCompletedSuccessfully ? write : AwaitEnqueueAsync(write);
    }

    /// <summary>
    /// At shutdown, after the hub stopped taking messages: waits (bounded) until everything taken is stored and
    /// acknowledged, so the connection is closed with nothing in flight. From now on, acks that cannot be delivered
    /// are expected and logged as one line. Returns whether everything was finished.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        _shuttingDown = true;
        Task idle;
        lock (_idleLock)
        {
            if (Pending == 0)
            {
                return true;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(timeout, _time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Writes and acknowledges batches until cancelled. Unfinished items are left unacknowledged: the broker redelivers them.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var stored = Channel.CreateBounded<IngestItem[]>(new BoundedChannelOptions(StoredBatchesWaiting)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        var acknowledging = AcknowledgeLoopAsync(stored.Reader, cancellationToken);
        try
        {
            var batch = new List<IngestItem>(_options.BatchSize);
            var busy = false;
            while (await _queue.Reader.WaitToReadAsync(cancellationToken))
            {
                if (busy && _options.CommitLinger > TimeSpan.Zero && _queue.Reader.Count < _options.BatchSize)
                {
                    // Sustained load: one commit's fsync costs as much as dozens of inserts, so let more gather first.
                    await Task.Delay(_options.CommitLinger, _time, cancellationToken);
                }

                while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                busy = batch.Count >= _options.CommitLingerAfter;
                await StoreAsync(batch, cancellationToken);
                await stored.Writer.WriteAsync([.. batch], cancellationToken);
                batch.Clear();
            }
        }
        finally
        {
            stored.Writer.TryComplete();
            await acknowledging;
        }
    }

    /// <summary>Stores one batch durably (retrying while the store fails), then acknowledges it, HubAcks included.</summary>
    public async Task ProcessAsync(IReadOnlyList<IngestItem> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await StoreAsync(batch, cancellationToken);
        await AcknowledgeAsync(batch, everything: true, cancellationToken);
    }

    private async ValueTask AwaitEnqueueAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch
        {
            ItemsDone(1);
            throw;
        }
    }

    private void ItemsDone(int count)
    {
        if (Interlocked.Add(ref _pending, -count) == 0)
        {
            lock (_idleLock)
            {
                if (Pending == 0 && _idle is { } idle)
                {
                    _idle = null;
                    idle.TrySetResult();
                }
            }
        }
    }

    /// <summary>Stores one batch durably (retrying while the store fails) and counts the outcomes.</summary>
    private async Task StoreAsync(IReadOnlyList<IngestItem> batch, CancellationToken cancellationToken)
    {
        var toStore = new List<EventToStore>(batch.Count);
        foreach (var item in batch)
        {
            if (item.Event is { } e)
            {
                toStore.Add(e);
            }
        }

        if (toStore.Count == 0)
        {
            return;
        }

        var outcomes = await StoreWithRetryAsync(toStore, cancellationToken);
        _stats.CountBatch();
        var stored = 0;
        var newlyStored = _observers.Count > 0 ? new List<EventToStore>() : null;
        var duplicates = 0;
        var quarantined = 0;
        for (var i = 0; i < toStore.Count; i++)
        {
            var e = toStore[i];
            switch (outcomes[i])
            {
                case StoreOutcome.Stored:
                    stored++;
                    _health.OnEvent(e.Event.KitId, e.Event.SensorId, e.Event.Ts, e.ReceivedAt);
                    newlyStored?.Add(e);
                    break;
                case StoreOutcome.Duplicate:
                    duplicates++;
                    break;
                case StoreOutcome.Quarantined:
                    quarantined++;
                    break;
            }
        }

        _stats.CountStored(stored);
        _stats.CountDuplicates(duplicates);
        _stats.CountQuarantined(quarantined);
        if (newlyStored is { Count: > 0 })
        {
            Notify(newlyStored);
        }
    }

    private void Notify(IReadOnlyList<EventToStore> stored)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnStored(stored);
            }
            catch (Exception ex)
            {
                // The events are stored and will be acknowledged; an observer's bug must not stop ingestion.
                _logger.LogError(ex, "An observer of stored events ({Observer}) failed.", observer.GetType().Name);
            }
        }
    }

    private async Task<IReadOnlyList<StoreOutcome>> StoreWithRetryAsync(List<EventToStore> events, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.StoreAsync(events, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is acknowledged until the write succeeds; the broker keeps the messages meanwhile.
                _logger.LogError(ex, "Storing a batch of {Count} events failed (attempt {Attempt}); retrying in {Delay}.", events.Count, attempt, _options.StoreRetryInterval);
                await Task.Delay(_options.StoreRetryInterval, _time, cancellationToken);
            }
        }
    }
}
