using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Hub.Storage;

/// <summary>
/// The seam between ingestion and a durable event store (SQLite by default, InfluxDB as the alternative).
/// Implementations must be idempotent on (kit, boot, seq): storing the same event twice yields
/// <see cref="StoreOutcome.Duplicate"/> and keeps one row. <see cref="StoreAsync"/> returns only after the batch is
/// durable, because the hub acknowledges to kits on the strength of it.
/// </summary>
public interface IEventStore
{
    /// <summary>Stores a batch durably. The result has one outcome per input, in the same order.</summary>
    Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<EventToStore> batch, CancellationToken cancellationToken);

    /// <summary>Reads stored events (quarantined ones only when asked).</summary>
    Task<IReadOnlyList<StoredEvent>> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces activity aggregate rows of one resident (keyed by granularity and start).</summary>
    Task SaveAggregatesAsync(string residentId, AggregateGranularity granularity, IReadOnlyList<ActivityAggregate> rows, CancellationToken cancellationToken);

    /// <summary>Aggregate rows of one resident with <c>from &lt;= start &lt; to</c>, oldest first.</summary>
    Task<IReadOnlyList<ActivityAggregate>> QueryAggregatesAsync(string residentId, AggregateGranularity granularity, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Deletes raw events received before <see cref="RetentionCutoffs.RawEventsBefore"/> and aggregates older than theirs.</summary>
    Task<RetentionResult> ApplyRetentionAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken);

    /// <summary>Deletes everything stored about one resident: the events of their kits and their aggregates.</summary>
    Task DeleteResidentDataAsync(string residentId, IReadOnlyCollection<string> kitIds, CancellationToken cancellationToken);
}

/// <summary>
/// One validated event to store. <see cref="QuarantineReason"/> is set when the event is kept apart (e.g. an implausible
/// kit clock): it is stored and acknowledged, but not used for detection or aggregates.
/// </summary>
public sealed record EventToStore(SensorEvent Event, DateTimeOffset ReceivedAt, string? QuarantineReason = null);

public enum StoreOutcome
{
    /// <summary>Written now.</summary>
    Stored,

    /// <summary>(kit, boot, seq) was already stored; nothing written.</summary>
    Duplicate,

    /// <summary>Written now, apart from normal events (see <see cref="EventToStore.QuarantineReason"/>).</summary>
    Quarantined,
}

public sealed record StoredEvent(
    string KitId,
    string BootId,
    long Seq,
    string SensorId,
    SensorKind Kind,
    string State,
    DateTimeOffset Ts,
    DateTimeOffset ReceivedAt,
    bool ClockSynced,
    string? QuarantineReason = null);

public enum EventOrder
{
    NewestFirst,
    OldestFirst,
}

/// <summary>
/// What to read. <see cref="KitIds"/> null means every kit. <see cref="From"/>/<see cref="To"/> bound the event time
/// <c>ts</c> (from inclusive, to exclusive).
/// </summary>
public sealed record EventQuery
{
    public IReadOnlyCollection<string>? KitIds { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Limit { get; init; } = 100;

    public EventOrder Order { get; init; } = EventOrder.NewestFirst;

    public bool IncludeQuarantined { get; init; }
}

public enum AggregateGranularity
{
    Hour,
    Day,
}

/// <summary>
/// Activity of one resident in one hour or one (local) day. Hour rows leave the day-only fields
/// (<see cref="Outings"/>, <see cref="MinutesOut"/>, <see cref="NightMotion"/>, first/last activity) null.
/// </summary>
public sealed record ActivityAggregate
{
    public required DateTimeOffset Start { get; init; }

    public int Motion { get; init; }

    public int DoorOpenings { get; init; }

    public int? Outings { get; init; }

    public double? MinutesOut { get; init; }

    public int MailboxDeliveries { get; init; }

    public int MailboxCollections { get; init; }

    public int? NightMotion { get; init; }

    public DateTimeOffset? FirstActivity { get; init; }

    public DateTimeOffset? LastActivity { get; init; }
}

/// <summary>Rows older than these times are deleted.</summary>
public sealed record RetentionCutoffs(DateTimeOffset RawEventsBefore, DateTimeOffset AggregatesBefore);

public sealed record RetentionResult(long RawEventsDeleted, long AggregatesDeleted);
