using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Hub.Storage.Influx;

public enum ActivityPeriod
{
    Hour,
    Day,
}

/// <summary>
/// One resident's activity in one hour or one local day (a kit belongs to one resident, so the kit id is the key here;
/// the hub maps it to the resident). <see cref="Start"/> is the bucket start in UTC.
/// </summary>
public sealed record ActivityAggregate(
    string KitId,
    ActivityPeriod Period,
    DateTimeOffset Start,
    long Motion,
    long DoorOpenings,
    long Outings,
    long MailboxDeliveries,
    long MailboxCollections,
    long NightMotion,
    long Events,
    DateTimeOffset? FirstActivity,
    DateTimeOffset? LastActivity);

/// <summary>The rules that turn raw events into activity counts (all from configuration).</summary>
public sealed record ActivityRules(
    TimeZoneInfo Zone,
    TimeOnly NightStart,
    TimeOnly NightEnd,
    TimeSpan OutingQuietPeriod,
    TimeSpan MailboxDebounce)
{
    public static ActivityRules From(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        InfluxOptionsValidator.TryFindTimeZone(options.TimeZone, out var zone);
        return new ActivityRules(zone, options.NightStart, options.NightEnd, options.OutingQuietPeriod, options.MailboxDebounce);
    }

    /// <summary>How far before a period a roll-up must read (debounce of mailbox openings).</summary>
    public TimeSpan Lookback => MailboxDebounce;

    /// <summary>How far after a period a roll-up must read (an outing is known only after the quiet period).</summary>
    public TimeSpan Lookahead => OutingQuietPeriod + TimeSpan.FromHours(1);

    public bool IsNight(DateTimeOffset time)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, Zone).DateTime);
        return NightStart < NightEnd
            ? local >= NightStart && local < NightEnd
            : local >= NightStart || local < NightEnd;
    }

    /// <summary>The UTC start and end of a local calendar day (23, 24 or 25 hours around DST changes).</summary>
    public (DateTimeOffset Start, DateTimeOffset End) LocalDay(DateOnly day) => (LocalMidnight(day), LocalMidnight(day.AddDays(1)));

    public DateOnly LocalDate(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, Zone).DateTime);

    private DateTimeOffset LocalMidnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>
/// Turns one kit's raw events into hourly and daily activity: motion, door openings, outings, mailbox deliveries and
/// collections, night motion, first and last activity. Pure and deterministic, so roll-ups can be re-run (they
/// overwrite the same aggregate points).
/// </summary>
public static class ActivityAggregator
{
    /// <summary>
    /// Computes the hourly buckets and the daily bucket of one local day for one kit. <paramref name="events"/> must
    /// cover the day plus <see cref="ActivityRules.Lookback"/> before and <see cref="ActivityRules.Lookahead"/> after;
    /// outings whose quiet period has not ended by <paramref name="asOf"/> are not counted yet.
    /// </summary>
    public static IReadOnlyList<ActivityAggregate> ForDay(string kitId, DateOnly day, IEnumerable<SensorEvent> events, ActivityRules rules, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var (dayStart, dayEnd) = rules.LocalDay(day);
        var marks = Classify(events, rules, asOf);
        var result = new List<ActivityAggregate>();
        for (var hour = dayStart; hour < dayEnd; hour = hour.AddHours(1))
        {
            result.Add(Sum(kitId, ActivityPeriod.Hour, hour, hour.AddHours(1), marks));
        }

        result.Add(Sum(kitId, ActivityPeriod.Day, dayStart, dayEnd, marks));
        return result;
    }

    private static ActivityAggregate Sum(string kitId, ActivityPeriod period, DateTimeOffset start, DateTimeOffset end, List<Mark> marks)
    {
        long motion = 0, doors = 0, outings = 0, deliveries = 0, collections = 0, night = 0, events = 0;
        DateTimeOffset? first = null, last = null;
        foreach (var m in marks)
        {
            if (m.Time < start || m.Time >= end)
            {
                continue;
            }

            events++;
            motion += m.Motion ? 1 : 0;
            night += m.Motion && m.Night ? 1 : 0;
            doors += m.DoorOpening ? 1 : 0;
            outings += m.OutingStart ? 1 : 0;
            deliveries += m.Delivery ? 1 : 0;
            collections += m.Collection ? 1 : 0;
            if (m.Activity)
            {
                first ??= m.Time;
                last = m.Time;
            }
        }

        return new ActivityAggregate(kitId, period, start, motion, doors, outings, deliveries, collections, night, events, first, last);
    }

    private static List<Mark> Classify(IEnumerable<SensorEvent> events, ActivityRules rules, DateTimeOffset asOf)
    {
        var ordered = events.OrderBy(e => e.Ts).ThenBy(e => e.Seq).ToList();
        var marks = new List<Mark>(ordered.Count);
        DateTimeOffset? lastFlap = null, lastMailboxDoor = null;
        foreach (var e in ordered)
        {
            var opened = e.State == SensorStates.Open;
            var motion = e.Kind == SensorKind.Motion && e.State == SensorStates.Active;
            var delivery = false;
            var collection = false;
            if (e.Kind == SensorKind.MailboxFlap && opened)
            {
                delivery = lastFlap is null || e.Ts - lastFlap.Value >= rules.MailboxDebounce;
                lastFlap = e.Ts;
            }
            else if (e.Kind == SensorKind.MailboxDoor && opened)
            {
                collection = lastMailboxDoor is null || e.Ts - lastMailboxDoor.Value >= rules.MailboxDebounce;
                lastMailboxDoor = e.Ts;
            }

            var activity = motion || e.Kind is SensorKind.Door or SensorKind.Button || (e.Kind == SensorKind.MailboxDoor && opened);
            marks.Add(new Mark(e.Ts, motion, motion && rules.IsNight(e.Ts), e.Kind == SensorKind.Door && opened, false, delivery, collection, activity));
        }

        // An outing: the front door opens, closes, and then nothing inside moves (no motion, door or button) for the
        // quiet period. Counted in the bucket of the opening, once the quiet period has passed.
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            if (!marks[i].DoorOpening)
            {
                continue;
            }

            var closedAt = e.Ts;
            for (var j = i + 1; j < ordered.Count && !IsPresence(ordered[j]); j++)
            {
                var next = ordered[j];
                if (next.Kind == SensorKind.Door && next.SensorId == e.SensorId && next.State == SensorStates.Closed)
                {
                    closedAt = next.Ts;
                    break;
                }
            }

            DateTimeOffset? nextPresence = null;
            for (var k = i + 1; k < ordered.Count; k++)
            {
                if (ordered[k].Ts > closedAt && IsPresence(ordered[k]))
                {
                    nextPresence = ordered[k].Ts;
                    break;
                }
            }

            var quietEnd = closedAt + rules.OutingQuietPeriod;
            var isOuting = nextPresence is { } p ? p > quietEnd : quietEnd <= asOf;
            if (isOuting)
            {
                marks[i] = marks[i] with { OutingStart = true };
            }
        }

        return marks;
    }

    private static bool IsPresence(SensorEvent e) =>
        (e.Kind == SensorKind.Motion && e.State == SensorStates.Active)
        || (e.Kind == SensorKind.Door && e.State == SensorStates.Open)
        || e.Kind == SensorKind.Button;

    private readonly record struct Mark(
        DateTimeOffset Time,
        bool Motion,
        bool Night,
        bool DoorOpening,
        bool OutingStart,
        bool Delivery,
        bool Collection,
        bool Activity);
}
