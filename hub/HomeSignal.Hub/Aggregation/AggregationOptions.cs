using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Aggregation;

/// <summary>Configuration section <c>Aggregation</c>: how events become hourly and daily activity figures.</summary>
public sealed class AggregationOptions : IValidatedOptions
{
    public const string Section = "Aggregation";

    /// <summary>Days and nights are the resident's local ones.</summary>
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    public TimeSpan NightStart { get; set; } = TimeSpan.FromHours(23);

    public TimeSpan NightEnd { get; set; } = TimeSpan.FromHours(6);

    /// <summary>First activity of a day counts from this local time (earlier movement is night, not rising).</summary>
    public TimeSpan DayStart { get; set; } = TimeSpan.FromHours(5);

    /// <summary>A door opening followed by this long without indoor motion is an outing.</summary>
    public TimeSpan OutingMinimum { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often recent aggregates are recomputed.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<string> Validate()
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"Aggregation:TimeZone '{TimeZone}' is not a known time zone (e.g. Europe/Amsterdam).";
        }

        if (NightStart < TimeSpan.Zero || NightStart >= TimeSpan.FromDays(1) || NightEnd < TimeSpan.Zero || NightEnd >= TimeSpan.FromDays(1)
            || DayStart < TimeSpan.Zero || DayStart >= TimeSpan.FromDays(1))
        {
            yield return "Aggregation:NightStart, NightEnd and DayStart are times of day (00:00–23:59).";
        }

        if (OutingMinimum <= TimeSpan.Zero || Interval <= TimeSpan.Zero)
        {
            yield return "Aggregation:OutingMinimum and Aggregation:Interval must be positive.";
        }
    }
}
