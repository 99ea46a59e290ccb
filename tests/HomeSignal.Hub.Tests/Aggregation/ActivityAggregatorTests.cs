using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Aggregation;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Tests.Aggregation;

public sealed class ActivityAggregatorTests
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private readonly ActivityAggregator _aggregator = new(new AggregationOptions());
    private long _seq;

    [Fact]
    public void A_day_counts_motion_doors_outings_post_night_motion_and_first_and_last_activity_in_local_time()
    {
        var day = new DateOnly(2026, 3, 2);
        var events = new List<StoredEvent>
        {
            At("02:10", SensorKind.Motion, SensorStates.Active),        // night
            At("07:40", SensorKind.Motion, SensorStates.Active),        // first activity
            At("08:15", SensorKind.Motion, SensorStates.Active),
            At("10:00", SensorKind.Door, SensorStates.Open),
            At("10:01", SensorKind.Door, SensorStates.Closed),          // leaves
            At("11:00", SensorKind.MailboxFlap, SensorStates.Open),     // post delivered while out
            At("11:31", SensorKind.Door, SensorStates.Open),            // back: 90-minute outing
            At("11:32", SensorKind.Door, SensorStates.Closed),
            At("11:33", SensorKind.Motion, SensorStates.Active),
            At("11:40", SensorKind.MailboxDoor, SensorStates.Open),     // post collected
            At("15:00", SensorKind.Door, SensorStates.Open),            // a visitor: motion follows, no outing
            At("15:01", SensorKind.Door, SensorStates.Closed),
            At("15:02", SensorKind.Motion, SensorStates.Active),
            At("15:30", SensorKind.Door, SensorStates.Open),
            At("22:10", SensorKind.Motion, SensorStates.Active),        // last activity
            At("23:30", SensorKind.Motion, SensorStates.Inactive),      // not activity
        };

        var row = Assert.Single(_aggregator.Days(events, day, day));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero), row.Start);
        Assert.Equal(6, row.Motion);
        Assert.Equal(4, row.DoorOpenings);
        Assert.Equal(1, row.Outings);
        Assert.Equal(90, row.MinutesOut);
        Assert.Equal(1, row.MailboxDeliveries);
        Assert.Equal(1, row.MailboxCollections);
        Assert.Equal(1, row.NightMotion);
        Assert.Equal(Local(day, "07:40"), row.FirstActivity);
        Assert.Equal(Local(day, "22:10"), row.LastActivity);
    }

    [Fact]
    public void Hours_without_events_are_rows_of_zeros_and_leave_day_only_fields_empty()
    {
        var from = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        var events = new List<StoredEvent> { At("10:30", SensorKind.Motion, SensorStates.Active) }; // 09:30 UTC

        var rows = _aggregator.Hours(events, from, from.AddHours(3));

        Assert.Equal([0, 1, 0], rows.Select(r => r.Motion));
        Assert.All(rows, r => Assert.Null(r.Outings));
        Assert.All(rows, r => Assert.Null(r.FirstActivity));
    }

    [Fact]
    public void A_day_across_the_summer_time_change_still_starts_at_local_midnight()
    {
        var day = new DateOnly(2026, 3, 29);
        var row = Assert.Single(_aggregator.Days([], day, day));
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), row.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), _aggregator.LocalMidnight(day.AddDays(1)));
    }

    private static DateTimeOffset Local(DateOnly day, string time) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), Cet).ToUniversalTime();

    private StoredEvent At(string time, SensorKind kind, string state)
    {
        var ts = Local(new DateOnly(2026, 3, 2), time);
        return new StoredEvent("kit-agg", "0123456789abcdef0123456789abcdef", ++_seq, kind.ToString().ToLowerInvariant(), kind, state, ts, ts, true);
    }
}
