using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Detection.Tests.Simulation;

public class OrdinaryLifeTests
{
    [Fact]
    public void During_a_holiday_the_home_is_still_and_the_door_marks_leaving_and_coming_back()
    {
        var scenario = Enumerable.Range(50, 10)
            .Select(seed => SimulationScenario.Create(seed, new DateOnly(2025, 1, 1), 365))
            .First(s => ResidentSimulator.Stream(s).PlannedContext.Any(c => c.Kind == ContextKind.Holiday));
        var result = ResidentSimulator.Run(scenario);
        var holiday = result.Context.First(c => c.Kind == ContextKind.Holiday);

        Assert.InRange((holiday.End - holiday.Start).TotalDays, 6.5, 22);
        Assert.DoesNotContain(result.Events.Between(holiday.Start.AddMinutes(1), holiday.End), e => e.IsMotionStart() || e.IsDoorOpen());
        Assert.Contains(result.Events.Between(holiday.Start, holiday.Start.AddMinutes(1)), e => e.IsDoorOpen());
        Assert.Contains(result.Events.Between(holiday.End, holiday.End.AddMinutes(1)), e => e.IsDoorOpen());
        Assert.Contains(result.Events.Between(holiday.Start, holiday.End), e => e.SensorId == SensorLayout.MailboxFlap);
    }

    [Fact]
    public void Most_but_not_all_absences_are_entered_in_the_context_calendar()
    {
        var absences = Enumerable.Range(60, 60)
            .SelectMany(seed => ResidentSimulator.Stream(SimulationScenario.Create(seed, new DateOnly(2025, 1, 1), 365)).PlannedContext)
            .ToList();

        Assert.True(absences.Count >= 40, $"Only {absences.Count} absences in 60 resident-years.");
        Assert.Contains(absences, c => c.Kind == ContextKind.Hospital);
        Assert.InRange(absences.Count(c => c.Entered) / (double)absences.Count, 0.55, 0.95);
    }

    [Fact]
    public void A_visitor_comes_in_through_the_door_and_moves_about_while_the_resident_does()
    {
        var profile = ResidentProfile.Draw(70) with { VisitorsPerWeek = 7 };
        var result = ResidentSimulator.Run(SimulationScenario.Create(70, new DateOnly(2025, 4, 1), 28) with { Profile = profile });

        Assert.True(result.Visitors.Count >= 8, $"Only {result.Visitors.Count} visits.");
        foreach (var visit in result.Visitors)
        {
            Assert.Contains(result.Events.Between(visit.Start, visit.Start.AddMinutes(1)), e => e.IsDoorOpen());
            Assert.Contains(result.Events.Between(visit.End, visit.End.AddMinutes(1)), e => e.IsDoorOpen());
        }

        // Two people: now and then two rooms are active at the same moment, which one person rarely causes.
        var overlapping = result.Visitors.Count(v => TwoRoomsActiveAtOnce(result.Events.Between(v.Start, v.End)));
        Assert.True(overlapping >= result.Visitors.Count / 2, $"Only {overlapping} of {result.Visitors.Count} visits show two rooms active at once.");
    }

    [Fact]
    public void An_afternoon_nap_shows_as_a_long_quiet_stretch_at_home()
    {
        double DaysWithLongAfternoonGap(double napChance)
        {
            var profile = ResidentProfile.Draw(73) with { NapChance = napChance, DayCareDays = [] };
            var result = ResidentSimulator.Run(SimulatedEvents.Quiet(73, new DateOnly(2025, 1, 6), 28) with { Profile = profile });
            return result.Events.Where(e => e.IsMotionStart() || e.SensorId == SensorLayout.FrontDoor)
                .GroupBy(e => DateOnly.FromDateTime(SimulatedEvents.Local(e.Ts)))
                .Count(day =>
                {
                    var afternoon = day.Where(e => SimulatedEvents.Local(e.Ts).Hour is >= 13 and < 18).ToList();
                    return afternoon.Zip(afternoon.Skip(1)).Any(p => p.First.IsMotionStart() && p.Second.IsMotionStart() && p.Second.Ts - p.First.Ts > TimeSpan.FromMinutes(25));
                });
        }

        Assert.True(DaysWithLongAfternoonGap(1.0) >= DaysWithLongAfternoonGap(0.0) + 5);
    }

    [Fact]
    public void Local_routines_keep_their_clock_time_across_daylight_saving_changes()
    {
        var result = ResidentSimulator.Run(SimulatedEvents.Quiet(71, new DateOnly(2025, 3, 16), 28));
        var dst = new DateOnly(2025, 3, 30);
        double MeanWake(Func<DateOnly, bool> which) => result.Truth.Days.Where(d => which(d.Date) && d.Rose is not null)
            .Average(d => SimulatedEvents.Local(d.Rose!.Value).TimeOfDay.TotalHours);

        Assert.InRange(MeanWake(d => d > dst) - MeanWake(d => d < dst), -0.9, 0.6);
        Assert.Contains(result.Events, e => e.Ts.Date == new DateTime(2025, 3, 30) && e.IsMotionStart());
    }

    [Fact]
    public void The_night_the_clocks_go_back_stays_in_order_and_complete()
    {
        var result = ResidentSimulator.Run(SimulatedEvents.Quiet(74, new DateOnly(2025, 10, 22), 10));

        for (var i = 1; i < result.Events.Count; i++)
        {
            Assert.True(result.Events[i].Ts >= result.Events[i - 1].Ts);
        }

        Assert.Equal(TimeSpan.FromHours(241), result.End - result.Start);
        Assert.All(result.Truth.Days, d => Assert.NotNull(d.Rose));
    }

    [Fact]
    public void Each_resident_gets_the_sensors_of_their_home()
    {
        var layouts = Enumerable.Range(1, 40).Select(seed => SensorLayout.For(ResidentProfile.Draw(seed))).ToList();

        Assert.All(layouts, l =>
        {
            Assert.Contains(l, s => s is { SensorId: SensorLayout.FrontDoor, Kind: SensorKind.Door });
            Assert.Contains(l, s => s is { SensorId: SensorLayout.MailboxFlap, Kind: SensorKind.MailboxFlap });
            Assert.Contains(l, s => s is { SensorId: SensorLayout.MailboxDoor, Kind: SensorKind.MailboxDoor });
            Assert.Contains(l, s => s.SensorId == "motion-bedroom");
        });
        Assert.Contains(layouts, l => l.All(s => s.SensorId != "motion-hall"));
    }

    [Fact]
    public void A_scenario_with_a_bad_kit_id_or_length_is_refused_with_a_sentence_naming_the_field()
    {
        var scenario = SimulationScenario.Create(1, new DateOnly(2025, 1, 1), 10);

        Assert.Contains("KitId", Assert.Throws<ArgumentException>(() => ResidentSimulator.Run(scenario with { KitId = "Kit/1" })).Message, StringComparison.Ordinal);
        Assert.Contains("Days", Assert.Throws<ArgumentException>(() => ResidentSimulator.Run(scenario with { Days = 0 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_history_cut_at_now_holds_only_what_the_kit_had_published()
    {
        var result = ResidentSimulator.Run(SimulationScenario.Create(72, new DateOnly(2025, 5, 1), 10));
        var now = result.Start.AddDays(7.4);

        var history = result.Before(now);

        Assert.All(history.Events, e => Assert.True(e.Ts < now));
        Assert.Equal(result.Events.Count(e => e.Ts < now), history.Events.Count);
        Assert.Equal(now, history.End);
    }

    private static bool TwoRoomsActiveAtOnce(IEnumerable<SensorEvent> events)
    {
        var active = new HashSet<string>();
        foreach (var e in events.Where(e => e.Kind == SensorKind.Motion))
        {
            if (e.State == SensorStates.Active)
            {
                active.Add(e.SensorId);
                if (active.Count >= 2 && !active.SetEquals(["motion-hall", "motion-living"]))
                {
                    return true;
                }
            }
            else
            {
                active.Remove(e.SensorId);
            }
        }

        return false;
    }
}
