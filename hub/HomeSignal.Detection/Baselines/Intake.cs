namespace HomeSignal.Detection.Baselines;

/// <summary>What the resident (or family) said at the intake conversation about their routine. While little of the
/// routine has been seen, these answers replace the population priors of the acute thresholds; the person's own days
/// take over as they come in, with the same weight as any prior (<see cref="BaselineOptions.PriorWeightDays"/>).</summary>
public sealed record Intake(TimeOnly? UsualWakeTime = null, double? NightVisitsPerNight = null)
{
    public static Intake None { get; } = new();

    /// <summary>Problems with the answers, in words for the person entering them; empty when they can be used.</summary>
    public IEnumerable<string> Validate()
    {
        if (UsualWakeTime is { } wake && (wake < new TimeOnly(4, 0) || wake > new TimeOnly(13, 0)))
        {
            yield return $"Usual wake time {wake:HH\\:mm} must be between 04:00 and 13:00.";
        }

        if (NightVisitsPerNight is { } n && (double.IsNaN(n) || n < 0 || n > 10))
        {
            yield return $"Night visits per night ({n}) must be between 0 and 10.";
        }
    }

    /// <summary>The prior of the latest normal rising (before the margin): the stated wake time plus the population's
    /// spread between a usual and a late rising; the population prior without an answer.</summary>
    public double NotUpPrior(BaselineOptions o) =>
        UsualWakeTime is { } wake ? wake.Hour * 60 + wake.Minute + (o.PriorNotUpMinute - o.PriorWakeMinute) : o.PriorNotUpMinute;

    public double NightVisitsPrior(BaselineOptions o) => NightVisitsPerNight ?? o.PriorNightVisits;
}
