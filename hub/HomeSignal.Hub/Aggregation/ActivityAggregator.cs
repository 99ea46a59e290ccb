using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Aggregation;

/// <summary>
/// Turns one resident's events into hourly (UTC hours) and daily (local days) activity rows. Pure: the same events give
/// the same rows, whichever store they came from. Hours and days without events get rows of zeros — silence is data.
/// </summary>
public sealed class ActivityAggregator(AggregationOptions options)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);

    /// <summary>UTC start of the local day containing <paramref name="instant"/>.</summary>
    public DateTimeOffset LocalDayStart(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, _zone);
        return LocalMidnight(DateOnly.FromDateTime(local.DateTime));
    }

    public DateTimeOffset LocalMidnight(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, _zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    /// <summary>Hour rows for every UTC hour in [from, to).</summary>
    public IReadOnlyList<ActivityAggregate> Hours(IReadOnlyList<StoredEvent> events, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(events);
        var start = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero);
        var rows = new List<ActivityAggregate>();
        for (var hour = start; hour < to; hour = hour.AddHours(1))
        {
            var end = hour.AddHours(1);
            var inHour = events.Where(e => e.Ts >= hour && e.Ts < end).ToList();
            rows.Add(new ActivityAggregate
            {
                Start = hour,
                Motion = inHour.Count(IsMotion),
                DoorOpenings = inHour.Count(e => e.Kind == SensorKind.Door && e.State == SensorStates.Open),
                MailboxDeliveries = inHour.Count(e => e.Kind == SensorKind.MailboxFlap && e.State == SensorStates.Open),
                MailboxCollections = inHour.Count(e => e.Kind == SensorKind.MailboxDoor && e.State == SensorStates.Open),
            });
        }

        return rows;
    }

    /// <summary>Day rows for every local day from <paramref name="firstDay"/> to <paramref name="lastDay"/> inclusive.</summary>
    public IReadOnlyList<ActivityAggregate> Days(IReadOnlyList<StoredEvent> events, DateOnly firstDay, DateOnly lastDay)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ordered = events.OrderBy(e => e.Ts).ToList();
        var outings = Outings(ordered);
        var rows = new List<ActivityAggregate>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var start = LocalMidnight(day);
            var end = LocalMidnight(day.AddDays(1));
            var inDay = ordered.Where(e => e.Ts >= start && e.Ts < end).ToList();
            var activity = inDay.Where(e => IsMotion(e) || (e.Kind == SensorKind.Door && e.State == SensorStates.Open)).ToList();
            var dayStart = start + options.DayStart;
            var dayOutings = outings.Where(o => o.Start >= start && o.Start < end).ToList();
            rows.Add(new ActivityAggregate
            {
                Start = start,
                Motion = inDay.Count(IsMotion),
                DoorOpenings = inDay.Count(e => e.Kind == SensorKind.Door && e.State == SensorStates.Open),
                MailboxDeliveries = inDay.Count(e => e.Kind == SensorKind.MailboxFlap && e.State == SensorStates.Open),
                MailboxCollections = inDay.Count(e => e.Kind == SensorKind.MailboxDoor && e.State == SensorStates.Open),
                Outings = dayOutings.Count,
                MinutesOut = Math.Round(dayOutings.Sum(o => (o.End - o.Start).TotalMinutes), 1),
                NightMotion = inDay.Count(e => IsMotion(e) && IsNight(e.Ts)),
                FirstActivity = activity.FirstOrDefault(e => e.Ts >= dayStart)?.Ts,
                LastActivity = activity.LastOrDefault()?.Ts,
            });
        }

        return rows;
    }

    public DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    /// <summary>
    /// An outing: the front door closes and the next thing that happens is the door opening again, at least
    /// <see cref="AggregationOptions.OutingMinimum"/> later, with no indoor motion in between.
    /// </summary>
    private List<(DateTimeOffset Start, DateTimeOffset End)> Outings(List<StoredEvent> ordered)
    {
        var result = new List<(DateTimeOffset, DateTimeOffset)>();
        DateTimeOffset? closedAt = null;
        foreach (var e in ordered)
        {
            if (IsMotion(e))
            {
                closedAt = null;
            }
            else if (e.Kind == SensorKind.Door && e.State == SensorStates.Closed)
            {
                closedAt = e.Ts;
            }
            else if (e.Kind == SensorKind.Door && e.State == SensorStates.Open)
            {
                if (closedAt is { } left && e.Ts - left >= options.OutingMinimum)
                {
                    result.Add((left, e.Ts));
                }

                closedAt = null;
            }
        }

        return result;
    }

    private bool IsNight(DateTimeOffset ts)
    {
        var time = TimeZoneInfo.ConvertTime(ts, _zone).TimeOfDay;
        return options.NightStart > options.NightEnd
            ? time >= options.NightStart || time < options.NightEnd
            : time >= options.NightStart && time < options.NightEnd;
    }

    private static bool IsMotion(StoredEvent e) => e.Kind == SensorKind.Motion && e.State == SensorStates.Active;
}
