using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Kits;

namespace HomeSignal.Detection.Tests.Simulation;

public class SimulatedFaultTests
{
    private static readonly DateOnly Start = new(2025, 10, 1);
    private static readonly DateTimeOffset Day10 = new(2025, 10, 11, 8, 0, 0, TimeSpan.Zero);

    private static SimulationResult Run(params InjectedFault[] faults) =>
        ResidentSimulator.Run(SimulatedEvents.Quiet(31, Start, 20) with { InjectedFaults = faults });

    [Fact]
    public void A_dead_sensor_sends_nothing_while_dead_and_works_before_and_after()
    {
        var result = Run(new InjectedFault(FaultKind.DeadSensor, Day10, TimeSpan.FromDays(3), "motion-living"));
        var living = result.Events.Where(e => e.SensorId == "motion-living").ToList();

        Assert.DoesNotContain(living, e => e.Ts >= Day10 && e.Ts <= Day10.AddDays(3));
        Assert.Contains(living, e => e.Ts < Day10);
        Assert.Contains(living, e => e.Ts > Day10.AddDays(3));
        Assert.Contains(result.Events.Between(Day10, Day10.AddDays(3)), e => e.SensorId == "motion-kitchen" || e.SensorId == "motion-bathroom");
        var episode = Assert.Single(result.Truth.Faults);
        Assert.Equal((FaultKind.DeadSensor, "motion-living", Day10), (episode.Kind, episode.SensorId, episode.Start));
    }

    [Fact]
    public void A_stuck_sensor_reports_active_once_and_then_nothing_until_it_is_freed()
    {
        var result = Run(new InjectedFault(FaultKind.StuckSensor, Day10, TimeSpan.FromDays(2), "motion-bathroom"));
        var during = result.Events.Where(e => e.SensorId == "motion-bathroom" && e.Ts >= Day10 && e.Ts <= Day10.AddDays(2)).ToList();

        Assert.Equal([SensorStates.Active, SensorStates.Inactive], during.Select(e => e.State));
        Assert.Equal([Day10, Day10.AddDays(2)], during.Select(e => e.Ts));
    }

    [Fact]
    public void A_power_outage_leaves_a_gap_and_the_kit_comes_back_with_a_new_boot_id()
    {
        var result = Run(new InjectedFault(FaultKind.PowerOutage, Day10, TimeSpan.FromHours(5)));
        var back = Day10.AddHours(5);

        Assert.DoesNotContain(result.Events, e => e.Ts >= Day10 && e.Ts < back);
        var before = result.Events.Last(e => e.Ts < Day10);
        var after = result.Events.Where(e => e.Ts >= back).Take(2).ToList();
        Assert.Equal([SensorStates.Boot, SensorStates.PowerRestored], after.Select(e => e.State));
        Assert.All(after, e => Assert.Equal(SensorStates.KitSensorId, e.SensorId));
        Assert.NotEqual(before.BootId, after[0].BootId);
        Assert.Equal(before.Seq + 1, after[0].Seq);
        Assert.All(result.Events.Where(e => e.Ts >= back), e => Assert.Equal(after[0].BootId, e.BootId));
        var offline = Assert.Single(result.KitOffline);
        Assert.True(offline.EventsLost);
        Assert.Equal(Day10, offline.Start);
        Assert.True(offline.End >= back);
    }

    [Fact]
    public void A_network_outage_stops_heartbeats_but_keeps_the_events_and_the_boot_id()
    {
        var plain = Run();
        var result = Run(new InjectedFault(FaultKind.NetworkOutage, Day10, TimeSpan.FromHours(30)));

        Assert.Equal(plain.Events, result.Events);
        var offline = Assert.Single(result.KitOffline);
        Assert.False(offline.EventsLost);
        Assert.Equal((Day10, Day10.AddHours(30)), (offline.Start, offline.End));
        Assert.Single(result.Events.Select(e => e.BootId).Distinct());
    }

    [Fact]
    public void Events_during_a_network_outage_reach_the_hub_when_the_link_comes_back()
    {
        var result = Run(new InjectedFault(FaultKind.NetworkOutage, Day10, TimeSpan.FromHours(30)), new InjectedFault(FaultKind.ClockJump, Day10.AddDays(3), TimeSpan.FromHours(2), ClockOffset: TimeSpan.FromHours(-5)));

        var deliveries = result.Deliveries().ToList();

        Assert.Equal(result.Events, deliveries.Select(d => d.Event));
        Assert.All(deliveries.Where(d => d.Event.Ts >= Day10 && d.Event.Ts < Day10.AddHours(30)), d => Assert.Equal(Day10.AddHours(30), d.ArrivesAt));
        Assert.All(deliveries.Where(d => d.Event.ClockSynced && (d.Event.Ts < Day10 || d.Event.Ts >= Day10.AddHours(30))), d => Assert.Equal(d.Event.Ts, d.ArrivesAt));
        Assert.All(deliveries.Where(d => !d.Event.ClockSynced), d => Assert.Equal(d.Event.Ts.AddHours(5), d.ArrivesAt));
        for (var i = 1; i < deliveries.Count; i++)
        {
            Assert.True(deliveries[i].ArrivesAt >= deliveries[i - 1].ArrivesAt);
        }
    }

    [Fact]
    public void A_clock_jump_marks_events_unsynchronised_and_shifts_their_timestamps()
    {
        var plain = Run();
        var result = Run(new InjectedFault(FaultKind.ClockJump, Day10, TimeSpan.FromHours(6), ClockOffset: TimeSpan.FromDays(-1)));

        var unsynced = result.Events.Where(e => !e.ClockSynced).ToList();
        Assert.Equal(SensorStates.ClockUnsynchronised, unsynced[0].State);
        Assert.Equal(Day10.AddDays(-1), unsynced[0].Ts);
        var shifted = unsynced.Skip(1).ToList();
        var truth = plain.Events.Where(e => e.Ts >= Day10 && e.Ts < Day10.AddHours(6)).ToList();
        Assert.Equal(truth.Select(e => (e.SensorId, e.State, e.Ts.AddDays(-1))), shifted.Select(e => (e.SensorId, e.State, e.Ts)));
        Assert.All(result.Events.Where(e => e.Ts >= Day10.AddHours(6)), e => Assert.True(e.ClockSynced));
    }

    [Fact]
    public void A_pir_drop_out_hides_one_sensor_for_a_few_hours()
    {
        var plain = Run();
        var result = Run(new InjectedFault(FaultKind.PirDropout, Day10, TimeSpan.FromHours(8), "motion-kitchen"));

        Assert.Contains(plain.Events.Between(Day10, Day10.AddHours(8)), e => e.SensorId == "motion-kitchen");
        Assert.DoesNotContain(result.Events.Between(Day10, Day10.AddHours(8)), e => e.SensorId == "motion-kitchen");
        Assert.Equal(plain.Events.Where(e => e.SensorId != "motion-kitchen").Count(), result.Events.Count(e => e.SensorId != "motion-kitchen"));
    }

    [Fact]
    public void A_fault_on_a_sensor_the_kit_does_not_have_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => Run(new InjectedFault(FaultKind.DeadSensor, Day10, TimeSpan.FromDays(1), "motion-garage")));

        Assert.Contains("motion-garage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_faults_over_a_year_include_every_kind_and_each_power_loss_gives_a_new_boot()
    {
        var result = ResidentSimulator.Run(SimulationScenario.Create(32, new DateOnly(2025, 1, 1), 365) with { Faults = FaultSwitches.All });
        var kinds = result.Truth.Faults.Select(f => f.Kind).ToHashSet();

        Assert.Superset(new HashSet<FaultKind> { FaultKind.PirDropout, FaultKind.PowerOutage, FaultKind.NetworkOutage, FaultKind.Reboot, FaultKind.ClockJump }, kinds);
        var boots = result.Events.Count(e => e.State == SensorStates.Boot);
        Assert.Equal(1 + result.KitOffline.Count(o => o.EventsLost), boots);
        Assert.Equal(boots, result.Events.Select(e => e.BootId).Distinct().Count());
        foreach (var gap in result.KitOffline.Where(o => o.EventsLost))
        {
            Assert.DoesNotContain(result.Events, e => e.ClockSynced && e.Ts > gap.Start && e.Ts < gap.End.AddSeconds(-30));
        }
    }

    [Fact]
    public void Heartbeats_stop_while_the_kit_is_offline_and_resume_with_the_new_boot_id()
    {
        var result = Run(new InjectedFault(FaultKind.PowerOutage, Day10, TimeSpan.FromHours(2)), new InjectedFault(FaultKind.NetworkOutage, Day10.AddDays(2), TimeSpan.FromHours(3)));

        var beats = KitHeartbeats.For(result).ToList();

        Assert.InRange(beats.Count, 20 * 24 * 60 - 6 * 60, 20 * 24 * 60);
        Assert.DoesNotContain(beats, b => result.KitOffline.Any(o => b.Ts >= o.Start && b.Ts < o.End));
        var before = beats.Last(b => b.Ts < Day10);
        var after = beats.First(b => b.Ts > Day10);
        Assert.NotEqual(before.BootId, after.BootId);
        Assert.True(after.UptimeSeconds < 120 && before.UptimeSeconds > 9 * 24 * 3600);
        Assert.True(beats.SkipWhile(b => b.Ts < Day10.AddDays(2).AddHours(3)).First().Ts - beats.Last(b => b.Ts < Day10.AddDays(2)).Ts >= TimeSpan.FromHours(3));
        Assert.All(beats.Take(100), b => Assert.True(ContractReader.ReadHeartbeat(ContractReader.Write(b), result.KitId).IsValid));
    }
}
