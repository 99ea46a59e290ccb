using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Storage.Influx;
using static HomeSignal.Hub.Tests.Influx.InfluxFixture;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class ActivityAggregatorTests
{
    private static readonly ActivityRules Rules = ActivityRules.From(new InfluxOptions());
    private static readonly DateOnly Day = new(2026, 3, 10);

    private static DateTimeOffset Local(int hour, int minute, int second = 0) =>
        new(Day.ToDateTime(new TimeOnly(hour, minute, second)), TimeSpan.FromHours(1)); // Amsterdam in March before DST: UTC+1

    private static readonly SensorEvent[] ADay =
    [
        Event("kit-agg", 1, Local(2, 30), SensorKind.Motion),
        Event("kit-agg", 2, Local(2, 31), SensorKind.Motion, SensorStates.Inactive),
        Event("kit-agg", 3, Local(7, 10), SensorKind.Motion),
        Event("kit-agg", 4, Local(9, 0), SensorKind.Door, SensorStates.Open),
        Event("kit-agg", 5, Local(9, 0, 5), SensorKind.Door, SensorStates.Closed),
        Event("kit-agg", 6, Local(10, 30), SensorKind.Door, SensorStates.Open),
        Event("kit-agg", 7, Local(10, 30, 5), SensorKind.Door, SensorStates.Closed),
        Event("kit-agg", 8, Local(10, 31), SensorKind.Motion),
        Event("kit-agg", 9, Local(11, 0), SensorKind.MailboxFlap, SensorStates.Open),
        Event("kit-agg", 10, Local(11, 0, 1), SensorKind.MailboxFlap, SensorStates.Closed),
        Event("kit-agg", 11, Local(11, 2), SensorKind.MailboxFlap, SensorStates.Open),
        Event("kit-agg", 12, Local(12, 0), SensorKind.MailboxDoor, SensorStates.Open),
        Event("kit-agg", 13, Local(22, 0), SensorKind.Motion),
        Event("kit-agg", 14, Local(23, 30), SensorKind.Motion, sensor: "motion-bedroom"),
    ];

    [Fact]
    public void A_day_counts_motion_doors_outings_mail_night_motion_and_first_and_last_activity()
    {
        var result = ActivityAggregator.ForDay("kit-agg", Day, ADay, Rules, Local(23, 59).AddDays(1));

        var day = Assert.Single(result, a => a.Period == ActivityPeriod.Day);
        Assert.Equal(Local(0, 0), day.Start);
        Assert.Equal(5, day.Motion);
        Assert.Equal(2, day.NightMotion);
        Assert.Equal(2, day.DoorOpenings);
        Assert.Equal(1, day.Outings);
        Assert.Equal(1, day.MailboxDeliveries);
        Assert.Equal(1, day.MailboxCollections);
        Assert.Equal(Local(2, 30), day.FirstActivity);
        Assert.Equal(Local(23, 30), day.LastActivity);
        Assert.Equal(24, result.Count(a => a.Period == ActivityPeriod.Hour));
        var nine = Assert.Single(result, a => a.Period == ActivityPeriod.Hour && a.Start == Local(9, 0));
        Assert.Equal((1, 1, 0L), (nine.DoorOpenings, nine.Outings, nine.Motion));
        var ten = Assert.Single(result, a => a.Period == ActivityPeriod.Hour && a.Start == Local(10, 0));
        Assert.Equal((1, 0, 1L), (ten.DoorOpenings, ten.Outings, ten.Motion));
    }

    [Fact]
    public void An_outing_is_not_counted_before_its_quiet_period_has_passed()
    {
        var leaving = new[] { Event("kit-agg", 1, Local(9, 0), SensorKind.Door, SensorStates.Open), Event("kit-agg", 2, Local(9, 0, 5), SensorKind.Door, SensorStates.Closed) };

        var early = ActivityAggregator.ForDay("kit-agg", Day, leaving, Rules, Local(9, 10));
        var later = ActivityAggregator.ForDay("kit-agg", Day, leaving, Rules, Local(9, 20));

        Assert.Equal(0, early.Single(a => a.Period == ActivityPeriod.Day).Outings);
        Assert.Equal(1, later.Single(a => a.Period == ActivityPeriod.Day).Outings);
    }

    [Fact]
    public void Local_days_follow_daylight_saving_time()
    {
        var (start, end) = Rules.LocalDay(new DateOnly(2026, 3, 29));

        Assert.Equal(TimeSpan.FromHours(23), end - start);
        Assert.Equal(23, ActivityAggregator.ForDay("kit-agg", new DateOnly(2026, 3, 29), [], Rules, end).Count(a => a.Period == ActivityPeriod.Hour));
    }
}
