namespace HomeSignal.Detection.Baselines;

/// <summary>How routines become thresholds (config section <c>Detection:Baselines</c>). Population priors are used in the
/// learning period and shrunk toward personal estimates with <see cref="PriorWeightDays"/>.</summary>
public sealed class BaselineOptions
{
    /// <summary>Days of history the personal thresholds look at.</summary>
    public int WindowDays { get; set; } = 56;

    /// <summary>The prior counts as this many days of personal data.</summary>
    public double PriorWeightDays { get; set; } = 14;

    /// <summary>Length of the learning period shown as "leren: dag n van N".</summary>
    public int LearningDays { get; set; } = 14;

    /// <summary>Quantile of first-activity residuals for the not-up rule.</summary>
    public double NotUpQuantile { get; set; } = 0.99;

    public double NotUpMarginMinutes { get; set; } = 40;

    /// <summary>Population prior: P97.5 of rising (09:15) — the margin is added on top.</summary>
    public double PriorNotUpMinute { get; set; } = 555;

    /// <summary>Population median rising (07:00): an intake's usual wake time shifts the not-up prior by its difference.</summary>
    public double PriorWakeMinute { get; set; } = 420;

    /// <summary>Quantile of the daily longest gap per hour of day for the inactivity rule.</summary>
    public double InactivityQuantile { get; set; } = 0.99;

    public double InactivityMultiplier { get; set; } = 1.15;

    public double InactivityAddMinutes { get; set; } = 15;

    public double InactivityFloorMinutes { get; set; } = 60;

    /// <summary>Population prior for daytime gaps (07–22 h) and for the rest.</summary>
    public double PriorInactivityDayMinutes { get; set; } = 150;

    public double PriorInactivityNightMinutes { get; set; } = 600;

    /// <summary>Population prior of night visits per night.</summary>
    public double PriorNightVisits { get; set; } = 0.7;

    public IEnumerable<string> Validate()
    {
        if (WindowDays < 14)
        {
            yield return "Detection:Baselines:WindowDays must be at least 14.";
        }

        if (PriorWeightDays < 0)
        {
            yield return "Detection:Baselines:PriorWeightDays must not be negative.";
        }

        if (NotUpQuantile is <= 0.5 or > 1 || InactivityQuantile is <= 0.5 or > 1)
        {
            yield return "Detection:Baselines:NotUpQuantile and InactivityQuantile must be in (0.5, 1].";
        }

        if (InactivityFloorMinutes <= 0)
        {
            yield return "Detection:Baselines:InactivityFloorMinutes must be positive.";
        }
    }
}
