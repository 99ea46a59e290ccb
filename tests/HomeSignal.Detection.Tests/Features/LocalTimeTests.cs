using HomeSignal.Detection.History;
using HomeSignal.Detection.Replay;
using HomeSignal.Detection.Signals;

namespace HomeSignal.Detection.Tests.Features;

public class LocalTimeTests
{
    [Fact]
    public void Wall_clock_times_are_kept_on_both_DST_changes_in_Amsterdam()
    {
        var spring = new DateOnly(2025, 3, 30);
        var autumn = new DateOnly(2025, 10, 26);

        Assert.Equal(new DateTimeOffset(2025, 3, 30, 5, 0, 0, TimeSpan.Zero), LocalClock.At(spring, 420));
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 6, 0, 0, TimeSpan.Zero), LocalClock.At(autumn, 420));
        Assert.Equal(420, LocalClock.LocalMinuteOfDay(LocalClock.At(spring, 420)));
        Assert.Equal(420, LocalClock.LocalMinuteOfDay(LocalClock.At(autumn, 420)));
        // 02:30 does not exist on the spring day: the instant just after the gap.
        Assert.Equal(180, LocalClock.LocalMinuteOfDay(LocalClock.At(spring, 150)));
        // The spring day lasts 23 hours and the autumn day 25.
        Assert.Equal(TimeSpan.FromHours(23), LocalClock.StartOfDay(spring.AddDays(1)) - LocalClock.StartOfDay(spring));
        Assert.Equal(TimeSpan.FromHours(25), LocalClock.StartOfDay(autumn.AddDays(1)) - LocalClock.StartOfDay(autumn));
    }

    [Theory]
    [InlineData(2025, 3, 30)]
    [InlineData(2025, 10, 26)]
    public void A_routine_at_seven_raises_nothing_across_a_DST_change_and_rising_stays_at_seven(int y, int m, int d)
    {
        var change = new DateOnly(y, m, d);
        var start = change.AddDays(-40);
        var home = new TestHome().NormalDays(start, 50, wakeMinute: 420);
        var replay = HistoryReplay.Run("r-dst", TestHome.Sensors, home.Readings, new DetectionOptions(), TestHome.At(start.AddDays(50), 0));

        Assert.DoesNotContain(replay.Signals, s => s.Layer == SignalLayer.Acute);
        var day = Assert.Single(replay.Days, x => x.Date == change);
        Assert.InRange(day.FirstActivity, 400, 440);
        Assert.Equal(day.HourlyMotion.Sum(), day.MotionCount);
    }
}
