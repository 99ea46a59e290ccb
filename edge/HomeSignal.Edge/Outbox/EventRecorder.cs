using HomeSignal.Contracts.Payloads;
using HomeSignal.Edge.Kit;
using HomeSignal.Edge.Liveness;

namespace HomeSignal.Edge.Outbox;

/// <summary>Turns sensor changes and kit lifecycle moments into contract events, committed to the outbox before returning.</summary>
public sealed class EventRecorder
{
    private readonly OutboxStore _store;
    private readonly KitIdentity _identity;
    private readonly ClockSync _clock;
    private readonly KitHealth _health;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<EventRecorder> _logger;

    public EventRecorder(OutboxStore store, KitIdentity identity, ClockSync clock, KitHealth health, OutboxSignal signal, TimeProvider time, ILogger<EventRecorder> logger)
    {
        _store = store;
        _identity = identity;
        _clock = clock;
        _health = health;
        _signal = signal;
        _time = time;
        _logger = logger;
        _store.Dropped += OnDropped;
    }

    public SensorEvent Record(string sensorId, SensorKind kind, string state, DateTimeOffset? ts = null)
    {
        var synced = _clock.IsSynced();
        var at = ts ?? _time.GetUtcNow();
        var written = _store.Append([seq => Build(seq, sensorId, kind, state, at, synced)], seq => Build(seq, SensorStates.KitSensorId, SensorKind.Kit, SensorStates.OutboxFull, at, synced));
        _signal.Notify();
        return written[^1];
    }

    public SensorEvent RecordKit(string state) => Record(SensorStates.KitSensorId, SensorKind.Kit, state);

    private SensorEvent Build(long seq, string sensorId, SensorKind kind, string state, DateTimeOffset ts, bool synced) => new()
    {
        KitId = _identity.KitId,
        BootId = _identity.BootId,
        Seq = seq,
        SensorId = sensorId,
        Kind = kind,
        State = state,
        Ts = ts,
        ClockSynced = synced,
    };

    private void OnDropped(long count, long from, long to)
    {
        _health.Set(HealthFlags.OutboxFull);
        _logger.LogError(
            "Outbox full: dropped the {Count} oldest unacknowledged events (seq {From}–{To}) to keep recording; an outbox-full event tells the hub.",
            count, from, to);
    }
}
