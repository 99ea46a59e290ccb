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
