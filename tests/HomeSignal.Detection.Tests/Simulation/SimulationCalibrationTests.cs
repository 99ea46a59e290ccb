using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Kits;

namespace HomeSignal.Detection.Tests.Simulation;

/// <summary>Twenty resident-years of ordinary life, read once and checked against design/detection.md.</summary>
public sealed class CalibrationFixture
{
    public const int Residents = 20;

    public CalibrationFixture()
    {
        for (var seed = 1; seed <= Residents; seed++)
        {
            var scenario = SimulationScenario.Create(seed, new DateOnly(2025, 1, 1), 365);
            var awayDates = new HashSet<DateOnly>();
            var events = new List<SensorEvent>();
            foreach (var day in ResidentSimulator.Stream(scenario))
            {
                Days.Add(day.Summary);
                if (day.Summary.Status != DayStatus.Home || day.Context.Count > 0)
                {
                    awayDates.Add(day.Date);
                }

                foreach (var e in day.Events)
                {
                    if (e.SensorId is SensorLayout.FrontDoor or SensorLayout.MailboxFlap || e.IsMotionStart())
                    {
                        events.Add(e);
                    }
                    if (e.SensorId == SensorLayout.MailboxFlap && e.State == SensorStates.Open)
                    {
                        DeliveryDays.Add(SimulatedEvents.Local(e.Ts).DayOfWeek);
                    }
                }
            }

            var outings = SimulatedEvents.OutingsPerDay(events);
            foreach (var day in Days.Skip(Days.Count - 365).Where(d => d.Status == DayStatus.Home && !awayDates.Contains(d.Date)
                         && !awayDates.Contains(d.Date.AddDays(-1)) && !awayDates.Contains(d.Date.AddDays(1))))
            {
                SeenOutings.Add((day.Date, outings.GetValueOrDefault(day.Date), day.Outings));
            }
        }
    }

    public List<DaySummary> Days { get; } = [];

    /// <summary>Outings per ordinary day at home, as read from the door and motion events.</summary>
    public List<(DateOnly Date, int Outings, int TrueOutings)> SeenOutings { get; } = [];

    public List<DayOfWeek> DeliveryDays { get; } = [];

    public List<DaySummary> Home => Days.Where(d => d.Status == DayStatus.Home).ToList();
}

public class SimulationCalibrationTests(CalibrationFixture data) : IClassFixture<CalibrationFixture>
{
    [Fact]
    public void Outings_average_about_1_9_a_day_with_about_15_percent_of_days_without_one()
    {
        var perDay = data.SeenOutings.Average(d => d.Outings);
        var none = data.SeenOutings.Count(d => d.Outings == 0) / (double)data.SeenOutings.Count;

        Assert.InRange(perDay, 1.7, 2.1);
        Assert.InRange(none, 0.10, 0.20);
    }

    [Fact]
    public void Outings_seen_in_the_events_match_the_true_outings()
    {
        var matching = data.SeenOutings.Count(d => d.Outings == d.TrueOutings) / (double)data.SeenOutings.Count;

        Assert.InRange(data.SeenOutings.Average(d => d.Outings) / data.SeenOutings.Average(d => d.TrueOutings), 0.95, 1.05);
        Assert.True(matching > 0.9, $"Only {matching:P0} of days show their true number of outings.");
    }

    [Fact]
    public void Outings_halve_in_winter_and_recover_by_summer()
    {
        var winter = data.SeenOutings.Where(d => d.Date.Month is 12 or 1 or 2).Average(d => d.Outings);
        var summer = data.SeenOutings.Where(d => d.Date.Month is 6 or 7 or 8).Average(d => d.Outings);
        var may = data.SeenOutings.Where(d => d.Date.Month == 5).Average(d => d.Outings);

        Assert.InRange(winter / summer, 0.4, 0.62);
        Assert.InRange(may / summer, 0.85, 1.15);
    }

    [Fact]
    public void Wake_time_is_about_seven_with_a_spread_of_about_1_3_hours()
    {
        var wakes = data.Home.Where(d => d.Rose is not null).Select(d => SimulatedEvents.Local(d.Rose!.Value).TimeOfDay.TotalHours).Order().ToList();
        var mean = wakes.Average();
        var sd = Math.Sqrt(wakes.Average(w => (w - mean) * (w - mean)));

        Assert.InRange(mean, 6.7, 7.3);
        Assert.InRange(sd, 1.05, 1.55);
        Assert.InRange(wakes[wakes.Count / 20], 4.6, 5.6);
        Assert.InRange(wakes[wakes.Count * 19 / 20], 8.4, 9.4);
    }

    [Fact]
    public void Residents_rise_about_2_5_hours_earlier_in_June_than_in_November()
    {
        double MeanWake(int month) => data.Home.Where(d => d.Date.Month == month && d.Rose is not null)
            .Average(d => SimulatedEvents.Local(d.Rose!.Value).TimeOfDay.TotalHours);

        Assert.InRange(MeanWake(11) - MeanWake(6), 2.0, 3.0);
    }

    [Fact]
    public void Night_toilet_visits_average_about_0_7_and_never_exceed_three()
    {
        var nights = data.Home.Select(d => d.NightVisits).ToList();

        Assert.InRange(nights.Average(), 0.55, 0.85);
        Assert.Equal(3, nights.Max());
    }

    [Fact]
    public void Post_comes_Tuesday_to_Saturday_and_never_on_Sunday_or_Monday()
    {
        Assert.DoesNotContain(DayOfWeek.Sunday, data.DeliveryDays);
        Assert.DoesNotContain(DayOfWeek.Monday, data.DeliveryDays);
        foreach (var day in new[] { DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday })
        {
            Assert.InRange(data.DeliveryDays.Count(d => d == day), 600, 1050);
        }
    }

    [Fact]
    public void Each_address_gets_its_post_at_roughly_the_same_time()
    {
        var spreads = data.Days.Select((d, i) => (Resident: i / 365, d.PostDelivered))
            .Where(d => d.PostDelivered is not null)
            .GroupBy(d => d.Resident, d => SimulatedEvents.Local(d.PostDelivered!.Value).TimeOfDay.TotalHours)
            .Select(g =>
            {
                var mean = g.Average();
                return Math.Sqrt(g.Average(h => (h - mean) * (h - mean)));
            })
            .ToList();

        Assert.Equal(CalibrationFixture.Residents, spreads.Count);
        Assert.All(spreads, s => Assert.InRange(s, 0.1, 0.6));
    }

    [Fact]
    public void Ordinary_life_includes_visitors_holidays_and_hospital_stays()
    {
        Assert.InRange(data.Home.Average(d => d.Visitors), 0.1, 0.5);
        Assert.True(data.Home.Where(d => d.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Average(d => d.Visitors)
            > 1.3 * data.Home.Where(d => d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Average(d => d.Visitors));
        Assert.Contains(data.Days, d => d.Status == DayStatus.Holiday);
        Assert.Contains(data.Days, d => d.Status == DayStatus.Hospital);
        Assert.InRange(data.Days.Count(d => d.Status == DayStatus.Home) / (double)data.Days.Count, 0.9, 0.99);
    }
}
