using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Detection.Tests.Simulation;

public class SimulationDeterminismTests
{
    private static readonly DateOnly Start = new(2025, 3, 1);

    private static SimulationScenario Busy(int seed) => SimulationScenario.Create(seed, Start, 60) with
    {
        Faults = FaultSwitches.All,
        Patterns = [InjectedPattern.Decline(PatternKind.DeclineMovement, Start.AddDays(20), 28), InjectedPattern.Fall(Start.AddDays(55), new TimeOnly(14, 0))],
    };

    private static byte[] Serialise(SimulationResult result) =>
        result.Events.SelectMany(ContractReader.Write).ToArray();

    [Fact]
    public void The_same_scenario_gives_byte_identical_events()
    {
        var first = Serialise(ResidentSimulator.Run(Busy(7)));
        var second = Serialise(ResidentSimulator.Run(Busy(7)));

        Assert.True(first.Length > 10_000);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_seed_gives_another_resident()
    {
        Assert.NotEqual(Serialise(ResidentSimulator.Run(Busy(7))), Serialise(ResidentSimulator.Run(Busy(8))));
        static (TimeSpan, double, TimeSpan, double) Habits(int seed) =>
            (ResidentProfile(seed).WakeTime, ResidentProfile(seed).OutingsPerDay, ResidentProfile(seed).PostTime, ResidentProfile(seed).NightVisitsPerNight);
        Assert.Equal(Habits(7), Habits(7));
        Assert.NotEqual(Habits(7), Habits(8));
    }

    [Fact]
    public void Streaming_day_by_day_gives_the_same_events_as_a_whole_run()
    {
        var whole = ResidentSimulator.Run(Busy(3));
        var streamed = ResidentSimulator.Stream(Busy(3)).SelectMany(d => d.Events).ToList();

        Assert.Equal(whole.Events, streamed);
    }

    [Fact]
    public void A_decline_leaves_the_days_before_its_onset_untouched()
    {
        var plain = ResidentSimulator.Run(SimulationScenario.Create(5, Start, 40));
        var declining = ResidentSimulator.Run(SimulationScenario.Create(5, Start, 40) with
        {
            Patterns = [InjectedPattern.Decline(PatternKind.DeclineOutings, Start.AddDays(20), 14)],
        });
        var onset = new DateTimeOffset(Start.AddDays(19).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        Assert.Equal(plain.Events.Where(e => e.Ts < onset), declining.Events.Where(e => e.Ts < onset));
        Assert.NotEqual(plain.Events.Where(e => e.Ts >= onset).Count(), declining.Events.Where(e => e.Ts >= onset).Count());
    }

    [Fact]
    public void Every_event_reads_back_valid_under_the_contract_with_faults_on()
    {
        var result = ResidentSimulator.Run(Busy(11));

        foreach (var e in result.Events)
        {
            var read = ContractReader.ReadEvent(ContractReader.Write(e), result.KitId);
            Assert.True(read.IsValid, $"{e} was refused: {read.Error}");
            Assert.Equal(e, read.Value);
        }
    }

    [Fact]
    public void Sequence_numbers_rise_strictly_and_each_sensor_alternates_its_states()
    {
        var result = ResidentSimulator.Run(Busy(12));
        var last = new Dictionary<string, string>();

        for (var i = 1; i < result.Events.Count; i++)
        {
            Assert.True(result.Events[i].Seq > result.Events[i - 1].Seq);
        }

        foreach (var e in result.Events.Where(e => e.Kind != SensorKind.Kit))
        {
            Assert.NotEqual(last.GetValueOrDefault(e.SensorId), e.State);
            last[e.SensorId] = e.State;
        }

        var synced = result.Events.Where(e => e.ClockSynced).ToList();
        for (var i = 1; i < synced.Count; i++)
        {
            Assert.True(synced[i].Ts >= synced[i - 1].Ts, $"Event {synced[i].Seq} is earlier than {synced[i - 1].Seq}.");
        }
    }

    [Fact]
    public void Events_come_only_from_the_registered_sensors_and_the_kit()
    {
        var result = ResidentSimulator.Run(Busy(13));
        var ids = result.Sensors.Select(s => s.SensorId).Append(SensorStates.KitSensorId).ToHashSet();

        Assert.All(result.Events, e => Assert.Contains(e.SensorId, ids));
        Assert.Equal(SensorStates.Boot, result.Events[0].State);
        Assert.Contains(result.Sensors, s => s.SensorId == "motion-living" && s.Kind == SensorKind.Motion);
    }

    private static HomeSignal.Simulation.Residents.ResidentProfile ResidentProfile(int seed) =>
        HomeSignal.Simulation.Residents.ResidentProfile.Draw(seed);
}
