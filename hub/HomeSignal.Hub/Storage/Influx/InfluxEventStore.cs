using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>
/// The hub's event store on InfluxDB (1.x HTTP API; the v1-compatible endpoints of 1.8+, 2.x and 3.x work too).
/// <see cref="StoreAsync"/> returns only after InfluxDB answered 204 for every event, so the hub acks only what is
/// durable. Quarantined events (the hub's verdict, or points InfluxDB itself refuses) go to a measurement of their own
/// at their receive time. Raw events live in the <c>raw</c> retention policy, hourly and daily activity aggregates per
/// resident in <c>aggregates</c>; <see cref="ApplyRetentionAsync"/> deletes exactly at the hub's cut-offs.
/// </summary>
public sealed partial class InfluxEventStore : IEventStore, IAsyncDisposable
{
    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxEventStore> _logger;
    private readonly InfluxApi _api;
    private readonly InfluxWriter _writer;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private CancellationTokenSource? _stopping;
    private Task[] _writers = [];
    private int _disposed;

    public InfluxEventStore(HttpClient http, IOptions<InfluxOptions> options, TimeProvider time, ILogger<InfluxEventStore> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var validation = new InfluxOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(InfluxOptions.SectionName, typeof(InfluxOptions), validation.Failures);
        }

        _time = time;
        _logger = logger;
        _api = new InfluxApi(http, _options);
        _writer = new InfluxWriter(_api, _options, time, logger);
    }

    public InfluxOptions Options => _options;

    public InfluxStoreStatistics Statistics => _writer.Statistics;

    public bool IsRunning => _stopping is not null;

    /// <summary>Creates the database and retention policies (when <see cref="InfluxOptions.CreateDatabase"/>) and starts the writers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_stopping is not null)
            {
                return;
            }

            if (_options.CreateDatabase)
            {
                await EnsureSchemaAsync(cancellationToken);
            }

            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _writers = Enumerable.Range(0, _options.Writers).Select(_ => Task.Run(() => _writer.RunAsync(token), CancellationToken.None)).ToArray();
            _logger.LogInformation("InfluxDB store writing to {Url} database {Database} with {Writers} writer(s)", _options.Url, _options.Database, _options.Writers);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the writers; events not yet durable fail (their callers do not ack them, so kits send them again).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_stopping is null)
            {
                return;
            }

            await _stopping.CancelAsync();
            await Task.WhenAll(_writers);
            _writer.FailQueued();
            _stopping.Dispose();
            _stopping = null;
            _writers = [];
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice (as itself and as IEventStore).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _lifecycle.Dispose();
    }

    /// <summary>
    /// Stores events durably. Returns one outcome per event (in order) once InfluxDB answered 204 for all of them.
    /// Waits while the write queue is full. Throws <see cref="InfluxException"/> when InfluxDB refuses for good (e.g.
    /// database missing): nothing of that call may be acked then.
    /// </summary>
    /// <remarks>
    /// A replayed event overwrites itself (same point identity, see <see cref="InfluxSchema"/>) and is reported as
    /// <see cref="StoreOutcome.Stored"/>: telling a replay from a first write would cost a read per batch. Quarantined
    /// events are filed at their receive time, so there the store looks for an earlier copy and reports
    /// <see cref="StoreOutcome.Duplicate"/> instead of filing it twice.
    /// </remarks>
    public async Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<EventToStore> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_stopping is null)
        {
            throw new InvalidOperationException("The InfluxDB store is not started (call StartAsync first).");
        }

        foreach (var item in batch)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(batch));
            Validate(item.Event);
        }

        var alreadyQuarantined = await QuarantinedBeforeAsync(batch, cancellationToken);
        var call = new PendingCall(batch.Count);
        var points = new List<PendingPoint>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var (e, receivedAt, reason) = batch[i];
            if (reason is null)
            {
                points.Add(new PendingPoint(InfluxSchema.EventLine(e, receivedAt), e, receivedAt, StoreOutcome.Stored, call, i));
            }
            else if (alreadyQuarantined.Add((e.KitId, e.BootId, e.Seq)))
            {
                points.Add(new PendingPoint(InfluxSchema.QuarantineLine(e, receivedAt, reason), e, receivedAt, StoreOutcome.Quarantined, call, i));
            }
            else
            {
                call.Complete(i, StoreOutcome.Duplicate);
            }
        }

        return await _writer.WriteAsync(points, call, cancellationToken);
    }

    /// <summary>(kit, boot, seq) of the batch's quarantined events that are filed already (quarantine is rare and small).</summary>
    private async Task<HashSet<(string Kit, string Boot, long Seq)>> QuarantinedBeforeAsync(IReadOnlyList<EventToStore> batch, CancellationToken cancellationToken)
    {
        var found = new HashSet<(string, string, long)>();
        var wanted = batch.Where(i => i.QuarantineReason is not null).Select(i => (i.Event.KitId, i.Event.BootId, i.Event.Seq)).ToHashSet();
        foreach (var kit in wanted.Select(w => w.KitId).Distinct(StringComparer.Ordinal))
        {
            var q = $"SELECT \"boot\", \"seq\" FROM {Measurement(InfluxSchema.RawPolicy, InfluxSchema.QuarantineMeasurement)} WHERE {KitFilter(kit)}";
            foreach (var series in await _api.QueryAsync(q, changes: false, cancellationToken))
            {
                int boot = series.Column("boot"), seq = series.Column("seq");
                foreach (var row in series.Rows)
                {
                    var key = (kit, row[boot].GetString() ?? string.Empty, row[seq].GetInt64());
                    if (wanted.Contains(key))
                    {
                        found.Add(key);
                    }
                }
            }
        }

        return found;
    }

    private static void Validate(SensorEvent e)
    {
        if (!KitId.IsValid(e.KitId) || !KitId.IsValidSensorId(e.SensorId) || string.IsNullOrEmpty(e.BootId) || string.IsNullOrEmpty(e.State) || e.Seq < 0)
        {
            throw new ArgumentException($"Event {e.KitId}/{e.BootId}/{e.Seq} is not valid under contract v1; validate payloads with ContractReader before storing.");
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var db = Quote(_options.Database);
        await _api.QueryAsync($"CREATE DATABASE {db}", changes: true, cancellationToken);
        var existing = (await _api.QueryAsync($"SHOW RETENTION POLICIES ON {db}", changes: false, cancellationToken))
            .SelectMany(s => s.Rows.Select(r => r[s.Column("name")].GetString()))
            .ToHashSet(StringComparer.Ordinal);
        await EnsurePolicyAsync(existing, InfluxSchema.RawPolicy, _options.RawRetention, isDefault: true, cancellationToken);
        await EnsurePolicyAsync(existing, InfluxSchema.AggregatePolicy, _options.AggregateRetention, isDefault: false, cancellationToken);
    }

    private async Task EnsurePolicyAsync(HashSet<string?> existing, string name, TimeSpan duration, bool isDefault, CancellationToken cancellationToken)
    {
        var hours = (long)Math.Ceiling(duration.TotalHours);
        // Shard groups as InfluxDB would pick them; set explicitly so ALTER can shorten a policy below the old shard size.
        var shard = duration < TimeSpan.FromDays(2) ? "1h" : duration < TimeSpan.FromDays(180) ? "1d" : "7d";
        var verb = existing.Contains(name) ? "ALTER" : "CREATE";
        var replication = verb == "CREATE" ? " REPLICATION 1" : string.Empty;
        var statement = string.Create(CultureInfo.InvariantCulture, $"{verb} RETENTION POLICY {Quote(name)} ON {Quote(_options.Database)} DURATION {hours}h{replication} SHARD DURATION {shard}{(isDefault ? " DEFAULT" : string.Empty)}");
        await _api.QueryAsync(statement, changes: true, cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
