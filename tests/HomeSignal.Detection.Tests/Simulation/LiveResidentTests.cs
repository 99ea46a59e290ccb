using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Live;
using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Residents;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Detection.Tests.Simulation;

public class LiveResidentTests
{
    private static readonly DateTimeOffset Noon = new(2025, 11, 12, 11, 0, 0, TimeSpan.Zero);

    private static List<SensorChange> LiveFor(LiveResident resident, FakeTimeProvider time, TimeSpan span, TimeSpan step)
    {
        var changes = new List<SensorChange>();
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += step)
        {
            time.Advance(step);
            var due = resident.TakeDue();
            Assert.All(due, c => Assert.True(c.At <= time.GetUtcNow()));
            changes.AddRange(due);
        }

        return changes;
    }

    [Fact]
    public void A_live_resident_yields_a_plausible_day_as_time_passes()
    {
        var time = new FakeTimeProvider(Noon);
        using var resident = new LiveResident(ResidentProfile.Draw(41), 41, time);

        var changes = LiveFor(resident, time, TimeSpan.FromDays(1), TimeSpan.FromMinutes(5));

        Assert.All(changes, c => Assert.True(c.At > Noon));
        Assert.Equal(changes.OrderBy(c => c.At).ToList(), changes);
        Assert.Contains(changes, c => c.SensorId == "motion-bedroom");
        Assert.Contains(changes, c => c.SensorId == "motion-living");
        Assert.InRange(changes.Count(c => c.Kind == SensorKind.Motion), 100, 2000);
        Assert.All(changes, c => Assert.True(SensorStates.IsAllowed(c.Kind, c.State)));
        Assert.True(resident.NextAt > time.GetUtcNow());
    }

    [Fact]
    public void A_live_resident_continues_the_backfilled_history_of_the_same_seed()
    {
        var profile = ResidentProfile.Draw(42);
        var time = new FakeTimeProvider(Noon);
        using var resident = new LiveResident(profile, 42, time);
        var live = LiveFor(resident, time, TimeSpan.FromHours(30), TimeSpan.FromMinutes(1));

        var backfill = ResidentSimulator.Run(new SimulationScenario
        {
            Seed = 42,
            Start = new DateOnly(2025, 11, 11),
            Days = 4,
            KitId = "demo-kit-42",
            Profile = profile,
            Confounders = ConfounderSwitches.All with { Holidays = false, HospitalStays = false },
        });
        var expected = backfill.Events.Where(e => e.Kind != SensorKind.Kit && e.Ts > Noon && e.Ts <= Noon.AddHours(30))
            .Select(e => new SensorChange(e.Ts, e.SensorId, e.Kind, e.State))
            .ToList();

        Assert.Equal(expected, live);
    }

    [Fact]
    public void Asking_rarely_loses_nothing_and_asking_often_repeats_nothing()
    {
        var profile = ResidentProfile.Draw(43);
        var rareTime = new FakeTimeProvider(Noon);
        var oftenTime = new FakeTimeProvider(Noon);
        using var rare = new LiveResident(profile, 43, rareTime);
        using var often = new LiveResident(profile, 43, oftenTime);

        Assert.Equal(LiveFor(often, oftenTime, TimeSpan.FromHours(12), TimeSpan.FromSeconds(30)), LiveFor(rare, rareTime, TimeSpan.FromHours(12), TimeSpan.FromHours(4)));
    }

    [Fact]
    public void A_live_fall_stops_all_movement()
    {
        var time = new FakeTimeProvider(Noon);
        var today = new DateOnly(2025, 11, 12);
        using var resident = new LiveResident(ResidentProfile.Draw(44), 44, time, [InjectedPattern.Fall(today, new TimeOnly(15, 0))]);

        var changes = LiveFor(resident, time, TimeSpan.FromHours(12), TimeSpan.FromMinutes(10));

        var lastMotion = changes.Last(c => c.Kind == SensorKind.Motion && c.State == SensorStates.Active).At;
        Assert.InRange(SimulatedEvents.Local(lastMotion).TimeOfDay, new TimeSpan(14, 59, 0), new TimeSpan(20, 0, 0));
        Assert.DoesNotContain(changes, c => c.At > lastMotion && c.SensorId == "door-front");
    }

    [Fact]
    public void Eight_weeks_of_history_cut_at_now_and_a_live_resident_join_without_a_gap_or_overlap()
    {
        var scenario = SimulationScenario.History(45, Noon) with
        {
            Patterns = [InjectedPattern.Decline(PatternKind.DeclineOutings, new DateOnly(2025, 10, 20), 28)],
            Confounders = ConfounderSwitches.All with { Holidays = false, HospitalStays = false },
        };
        var history = ResidentSimulator.Run(scenario).Before(Noon);
        var time = new FakeTimeProvider(Noon);
        using var resident = new LiveResident(scenario.Profile, scenario.Seed, time, scenario.Patterns);
        var live = LiveFor(resident, time, TimeSpan.FromHours(6), TimeSpan.FromMinutes(1));

        Assert.Equal(new DateOnly(2025, 9, 17), scenario.Start);
        Assert.InRange((Noon - history.Events[0].Ts).TotalDays, 56.4, 56.6);
        Assert.All(history.Events, e => Assert.True(e.Ts < Noon));
        var whole = ResidentSimulator.Run(scenario with { Days = scenario.Days + 1 }).Events
            .Where(e => e.Kind != SensorKind.Kit && e.Ts >= Noon.AddHours(-6) && e.Ts <= Noon.AddHours(6))
            .Select(e => (e.Ts, e.SensorId, e.State))
            .ToList();
        var joined = history.Events.Where(e => e.Kind != SensorKind.Kit && e.Ts >= Noon.AddHours(-6)).Select(e => (e.Ts, e.SensorId, e.State))
            .Concat(live.Select(c => (c.At, c.SensorId, c.State)))
            .ToList();
        Assert.Equal(whole, joined);
    }
}
