using HomeSignal.Detection.Baselines;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Replay;

namespace HomeSignal.Detection.Tests.Acute;

public class IntakeTests
{
    [Fact]
    public void A_late_riser_from_the_intake_is_not_expected_up_at_the_population_time_on_the_first_morning()
    {
        var o = new BaselineOptions();
        var population = ResidentBaseline.Prior(o);
        var lateRiser = ResidentBaseline.Prior(o, new Intake(UsualWakeTime: new TimeOnly(9, 30), NightVisitsPerNight: 2));

        // 09:30 is 2.5 h after the population's 07:00: the not-up deadline moves by as much.
        Assert.Equal(population.NotUpMinute[1] + 150, lateRiser.NotUpMinute[1], 6);
        Assert.Equal(2, lateRiser.NightVisitsPerNight, 6);
        Assert.Equal(o.PriorNightVisits, population.NightVisitsPerNight, 6);
    }

    [Fact]
    public void The_intake_fades_as_the_residents_own_days_come_in()
    {
        var start = new DateOnly(2025, 5, 5);
        var o = new BaselineOptions();
        var intake = new Intake(UsualWakeTime: new TimeOnly(10, 0));
        var home = new TestHome().NormalDays(start, 42);
        var days = HistoryReplay.Run("r", TestHome.Sensors, home.Readings, new DetectionOptions(), TestHome.At(start.AddDays(42), 0)).Days;

        double Shift(int n) => ResidentBaseline.Build(days.Take(n).ToList(), o, LabelAdjustments.None, intake).NotUpMinute[1]
            - ResidentBaseline.Build(days.Take(n).ToList(), o, LabelAdjustments.None).NotUpMinute[1];

        // Weighted like any prior (14 days): a large pull after 3 days, a small one after six weeks.
        Assert.True(Shift(3) > 2 * Shift(42), $"after 3 days {Shift(3):0} min, after 42 days {Shift(42):0} min");
        Assert.True(Shift(42) > 0);
    }

    [Fact]
    public void Impossible_intake_answers_are_refused_in_words()
    {
        Assert.Empty(new Intake(new TimeOnly(7, 0), 1).Validate());
        Assert.Contains(new Intake(UsualWakeTime: new TimeOnly(2, 0)).Validate(), e => e.Contains("wake time", StringComparison.Ordinal));
        Assert.Contains(new Intake(NightVisitsPerNight: -1).Validate(), e => e.Contains("Night visits", StringComparison.Ordinal));
    }
}
