using System.Globalization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Topics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>An event InfluxDB keeps apart because its timestamp could not be trusted (or InfluxDB refused it as an event).</summary>
public sealed record QuarantinedEvent(SensorEvent Event, DateTimeOffset ReceivedAt, string Reason);

/// <summary>
/// The hub's event store on InfluxDB (1.x HTTP API; the v1-compatible endpoints of 1.8+, 2.x and 3.x work too).
/// <see cref="StoreAsync"/> returns only after InfluxDB answered 204 for every event, so the hub acks only what is
/// durable. Events with implausible timestamps go to a quarantine measurement with their receive time. Raw events are
/// kept <see cref="InfluxOptions.RawRetention"/>, hourly and daily activity aggregates
/// <see cref="InfluxOptions.AggregateRetention"/>.
/// </summary>
public sealed partial class InfluxEventStore : IAsyncDisposable
{
    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxEventStore> _logger;
    private readonly InfluxApi _api;
    private readonly InfluxWriter _writer;
    private readonly ActivityRules _rules;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private CancellationTokenSource? _stopping;
    private Task[] _writers = [];

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
        _rules = ActivityRules.From(_options);
    }

    public InfluxOptions Options => _options;

    public ActivityRules Rules => _rules;

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
        await StopAsync(CancellationToken.None);
        _lifecycle.Dispose();
    }

    /// <summary>
    /// Stores events durably. Returns one outcome per event (in order) once InfluxDB answered 204 for all of them.
    /// Waits while the write queue is full. Throws <see cref="InfluxException"/> when InfluxDB refuses for good (e.g.
    /// database missing): nothing of that call may be acked then.
    /// </summary>
    public Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<SensorEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_stopping is null)
        {
            throw new InvalidOperationException("The InfluxDB store is not started (call StartAsync first).");
        }

        var receivedAt = _time.GetUtcNow();
        var call = new PendingCall(events.Count);
        var points = new PendingPoint[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException("Events must not contain null.", nameof(events));
            Validate(e);
            var reason = ImplausibleTimestamp(e, receivedAt);
            points[i] = reason is null
                ? new PendingPoint(InfluxSchema.EventLine(e), e, receivedAt, StoreOutcome.Stored, call, i)
                : new PendingPoint(InfluxSchema.QuarantineLine(e, receivedAt, reason), e, receivedAt, StoreOutcome.Quarantined, call, i);
        }

        return _writer.WriteAsync(points, call, cancellationToken);
    }

    /// <summary>Why an event's time cannot be trusted, or null when it is plausible.</summary>
    public string? ImplausibleTimestamp(SensorEvent e, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Ts < receivedAt - _options.MaxEventAge)
        {
            return string.Create(CultureInfo.InvariantCulture, $"timestamp {e.Ts:O} is more than {_options.MaxEventAge.TotalHours:0.#} h before its arrival at {receivedAt:O}");
        }

        if (e.Ts > receivedAt + _options.MaxFutureSkew)
        {
            return string.Create(CultureInfo.InvariantCulture, $"timestamp {e.Ts:O} is more than {_options.MaxFutureSkew.TotalMinutes:0.#} min ahead of its arrival at {receivedAt:O}");
        }

        return null;
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
