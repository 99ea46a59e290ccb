using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Simulation;

/// <summary>A whole run: the kit's events and everything that really happened.</summary>
public sealed record SimulationResult
{
    public required string KitId { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required IReadOnlyList<SensorAssignment> Sensors { get; init; }

    /// <summary>In the order the kit publishes them: true time order, seq strictly increasing.</summary>
    public required IReadOnlyList<SensorEvent> Events { get; init; }

    /// <summary>Intervals in which the hub would receive no heartbeat.</summary>
    public required IReadOnlyList<KitOfflineInterval> KitOffline { get; init; }

    public required SimulationTruth Truth { get; init; }

    /// <summary>Holidays, hospital stays and day care, with whether each was entered in the context calendar.</summary>
    public required IReadOnlyList<ContextPeriod> Context { get; init; }

    public required IReadOnlyList<VisitorPeriod> Visitors { get; init; }

    /// <summary>
    /// Each event with the moment it reaches the hub: when it happened, or, if the kit could not reach the hub then
    /// (network outage), when the link came back and the kit's outbox was sent. In event order, which is also arrival
    /// order.
    /// </summary>
    public IEnumerable<(DateTimeOffset ArrivesAt, SensorEvent Event)> Deliveries()
    {
        var networks = KitOffline.Where(o => o.Reason == FaultKind.NetworkOutage).ToList();
        var clocks = Truth.Faults.Where(f => f.Kind == FaultKind.ClockJump && f.ClockOffset is not null).ToList();
        foreach (var e in Events)
        {
            var happened = TrueTime(e, clocks);
            var outage = networks.FirstOrDefault(n => happened >= n.Start && happened < n.End);
            yield return (outage?.End ?? happened, e);
        }
    }

    /// <summary>When an event really happened: its timestamp, less the kit clock's error while that was wrong.</summary>
    public static DateTimeOffset TrueTime(SensorEvent e, IEnumerable<FaultEpisode> clockJumps)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.ClockSynced)
        {
            return e.Ts;
        }

        foreach (var c in clockJumps)
        {
            if (c.ClockOffset is { } offset && e.Ts - offset >= c.Start && e.Ts - offset < c.End)
            {
                return e.Ts - offset;
            }
        }

        return e.Ts;
    }

    /// <summary>
    /// The run as seen at <paramref name="cutoff"/>: only events the kit had published by then (by true time, so
    /// events during a clock jump stay in order). For a demo backfilling history up to now; the truth is kept whole.
    /// </summary>
    public SimulationResult Before(DateTimeOffset cutoff)
    {
        var count = 0;
        // Events are in true time order; the first synchronised event at or after the cutoff ends the history.
        while (count < Events.Count && !(Events[count].ClockSynced && Events[count].Ts >= cutoff))
        {
            count++;
        }

        return this with
        {
            Events = Events.Take(count).ToList(),
            End = cutoff < End ? cutoff : End,
            KitOffline = KitOffline.Where(o => o.Start < cutoff).ToList(),
            Visitors = Visitors.Where(v => v.Start < cutoff).ToList(),
            Context = Context.Where(c => c.Start < cutoff).ToList(),
        };
    }
}

/// <summary>Ground truth: where patterns landed, which faults happened, and what each day really held.</summary>
public sealed record SimulationTruth(IReadOnlyList<PatternTruth> Patterns, IReadOnlyList<FaultEpisode> Faults, IReadOnlyList<DaySummary> Days);

public enum DayStatus
{
    Home,
    Holiday,
    Hospital,
    /// <summary>Lying after a fall.</summary>
    Fallen,
    /// <summary>Gone after a night exit.</summary>
    Missing,
}

/// <summary>
/// The truth of one resident-day (from the base wake time of the date to that of the next date, so the night belongs
/// to the evening before it). Times are UTC.
/// </summary>
public sealed record DaySummary(
    DateOnly Date,
    DayStatus Status,
    DateTimeOffset? Rose,
    DateTimeOffset? Bed,
    int Outings,
    TimeSpan TimeOut,
    int NightVisits,
    DateTimeOffset? PostDelivered,
    DateTimeOffset? PostCollected,
    int Visitors);

/// <summary>One resident-day of a streamed run, with its events and its truth.</summary>
public sealed record SimulatedDay(
    DateOnly Date,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<SensorEvent> Events,
    DaySummary Summary,
    IReadOnlyList<PatternTruth> Patterns,
    IReadOnlyList<ContextPeriod> Context,
    IReadOnlyList<VisitorPeriod> Visitors);
