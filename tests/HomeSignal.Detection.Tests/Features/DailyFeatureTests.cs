using HomeSignal.Detection.Features;

namespace HomeSignal.Detection.Tests.Features;

public class DailyFeatureTests
{
    private static readonly DateOnly Day = new(2025, 6, 3);

    [Fact]
    public void An_ordinary_day_becomes_outings_rising_post_and_night_visits()
    {
        var home = new TestHome().NormalDay(Day).NormalDay(Day.AddDays(1));
        var days = DailyFeatureBuilder.Build(TestHome.Sensors, home.Readings, new FeatureOptions(), until: TestHome.At(Day.AddDays(2), 0));

        var d = days[0];
        Assert.Equal(1, d.Outings);
        Assert.InRange(d.MinutesOut, 55, 65);
        Assert.InRange(d.FirstActivity, 420, 430);
        Assert.True(d.PostDelivered);
        Assert.True(d.PostCollected);
        Assert.Equal(30, d.RetrievalDelay, 1);
        Assert.Equal(1, d.NightVisits);
        Assert.False(d.Visitor);
        Assert.True(d.IsNormalHomeDay);
    }

    [Fact]
    public void Motion_in_two_rooms_within_seconds_marks_a_visitor()
    {
        var home = new TestHome().NormalDay(Day);
        for (var k = 0; k < 5; k++)
        {
            var t = TestHome.At(Day, 15, k * 10);
            home.Motion(t, TestHome.Living).Motion(t.AddSeconds(1), TestHome.Kitchen);
        }

        var days = DailyFeatureBuilder.Build(TestHome.Sensors, home.Readings.OrderBy(r => r.Ts), new FeatureOptions(), until: TestHome.At(Day.AddDays(1), 0));

        Assert.True(days[0].Visitor);
    }

    [Fact]
    public void Post_not_collected_counts_delivery_days()
    {
        var home = new TestHome();
        for (var i = 0; i < 4; i++)
        {
            home.NormalDay(Day.AddDays(i), post: false);
            home.Readings.Add(new(TestHome.At(Day.AddDays(i), 11, 30), TestHome.Flap, HomeSignal.Contracts.Payloads.SensorKind.MailboxFlap, "open"));
        }

        var days = DailyFeatureBuilder.Build(TestHome.Sensors, home.Readings.OrderBy(r => r.Ts), new FeatureOptions(), until: TestHome.At(Day.AddDays(4), 0));

        Assert.Equal([1, 2, 3, 4], days.Select(d => d.UncollectedDeliveryDays));
    }
}
