namespace HomeSignal.Simulation.Patterns;

/// <summary>
/// A pattern to inject. <see cref="Day"/> is a local (Europe/Amsterdam) date: for a fall, the day it happens (at or
/// after <see cref="At"/>, at the first moment the resident is home and up); for the night patterns, the night that
/// starts on the evening of that day (at or after <see cref="At"/>, default 02:30 the next morning); for not up in the
/// morning, the morning of that day; for a decline, the first day of its ramp.
/// </summary>
public sealed record InjectedPattern
{
    public required PatternKind Kind { get; init; }

    public required DateOnly Day { get; init; }

    /// <summary>Local time of day the acute pattern should happen at (or soon after).</summary>
    public TimeOnly? At { get; init; }

    /// <summary>Days a decline takes to reach full effect (14, 28 or 56 are the evaluated ramps).</summary>
    public int RampDays { get; init; }

    /// <summary>Scales the full effect of a decline (1 = the effects in <see cref="DeclineEffects"/>).</summary>
    public double Magnitude { get; init; } = 1.0;

    /// <summary>
    /// How long an acute situation lasts before it resolves (the resident is found, comes back, gets up, closes the
    /// door). Null means: for a fall or a night exit, until the end of the run; for not up in the morning, 5 hours; for
    /// the door, until the resident rises.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    public static InjectedPattern Fall(DateOnly day, TimeOnly at, TimeSpan? lyingFor = null) =>
        new() { Kind = PatternKind.Fall, Day = day, At = at, Duration = lyingFor };

    public static InjectedPattern DoorOpenAtNight(DateOnly evening, TimeOnly? at = null, TimeSpan? openFor = null) =>
        new() { Kind = PatternKind.DoorOpenAtNight, Day = evening, At = at, Duration = openFor };

    public static InjectedPattern NightExitWithoutReturn(DateOnly evening, TimeOnly? at = null, TimeSpan? outFor = null) =>
        new() { Kind = PatternKind.NightExitWithoutReturn, Day = evening, At = at, Duration = outFor };

    public static InjectedPattern NotUpInMorning(DateOnly day, TimeSpan? inBedFor = null) =>
        new() { Kind = PatternKind.NotUpInMorning, Day = day, Duration = inBedFor };

    public static InjectedPattern Decline(PatternKind kind, DateOnly onset, int rampDays, double magnitude = 1.0)
    {
        if (!kind.IsDecline())
        {
            throw new ArgumentException($"{kind} is not a decline pattern.", nameof(kind));
        }

        if (rampDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rampDays), rampDays, "A decline ramp lasts at least one day.");
        }

        return new() { Kind = kind, Day = onset, RampDays = rampDays, Magnitude = magnitude };
    }

    /// <summary>How far a decline has progressed on a date: 0 before onset, rising linearly to <see cref="Magnitude"/>.</summary>
    public double SeverityOn(DateOnly date)
    {
        if (!Kind.IsDecline() || date < Day)
        {
            return 0;
        }

        var progress = (date.DayNumber - Day.DayNumber + 1) / (double)Math.Max(1, RampDays);
        return Math.Min(1.0, progress) * Magnitude;
    }
}

/// <summary>
/// What a decline at full severity (magnitude 1) does to the routine, so evaluation and tests can state the expected
/// change in a weekly metric.
/// </summary>
public static class DeclineEffects
{
    /// <summary>Fraction of outings that no longer happen.</summary>
    public const double OutingsReduction = 0.6;

    /// <summary>Chance, per day with post waiting, that the resident leaves it in the box.</summary>
    public const double PostLeftUncollected = 0.9;

    /// <summary>Fraction of motion (motion periods, room changes) that no longer happens.</summary>
    public const double MovementReduction = 0.5;

    /// <summary>Hours later the resident rises.</summary>
    public const double RisingDelayHours = 2.0;

    /// <summary>Extra night visits per night.</summary>
    public const double ExtraNightVisits = 2.0;

    /// <summary>Factor on movement in bed.</summary>
    public const double SleepMovementFactor = 4.0;
}
