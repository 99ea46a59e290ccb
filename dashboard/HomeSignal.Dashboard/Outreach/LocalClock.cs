using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>Local time in the belronde's time zone, from the injected <see cref="TimeProvider"/>.</summary>
public sealed class LocalClock(TimeProvider time, IOptions<BelrondeOptions> options)
{
    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateTime Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Value.Zone).DateTime;

    public DateOnly Today => DateOnly.FromDateTime(Now);

    public DateTime ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, options.Value.Zone).DateTime;

    /// <summary>The UTC instant of a local date and time.</summary>
    public DateTimeOffset At(DateOnly day, TimeOnly timeOfDay)
    {
        var local = day.ToDateTime(timeOfDay);
        return new DateTimeOffset(local, options.Value.Zone.GetUtcOffset(local));
    }

    public bool ListIsReady => TimeOnly.FromDateTime(Now) >= options.Value.ListReady;

    /// <summary>A call raised after the round ends goes on the next day's list.</summary>
    public DateOnly CallDay => TimeOnly.FromDateTime(Now) < options.Value.RoundEnds ? Today : Today.AddDays(1);

    public BelrondeOptions Belronde => options.Value;
}
