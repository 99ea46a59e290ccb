using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Detection.Tests.Simulation;

public class InjectedPatternTests
{
    private static readonly DateOnly Start = new(2025, 9, 1);

    private static (SimulationResult Result, PatternTruth Truth) Inject(int seed, InjectedPattern pattern, int days = 30)
    {
        var result = ResidentSimulator.Run(SimulatedEvents.Quiet(seed, Start, days) with { Patterns = [pattern] });
        var truth = Assert.Single(result.Truth.Patterns);
        Assert.True(truth.Placed, truth.Description);
        return (result, truth);
    }

    private static bool AtNight(DateTimeOffset ts) => SimulatedEvents.Local(ts).Hour is >= 22 or < 6;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void After_a_fall_there_is_no_movement_and_no_door_at_all(int seed)
    {
        var (result, truth) = Inject(seed, InjectedPattern.Fall(Start.AddDays(20), new TimeOnly(10, 30)));
        var fall = truth.CountFrom!.Value;

        Assert.True(fall >= truth.Onset && SimulatedEvents.Local(fall) >= Start.AddDays(20).ToDateTime(new TimeOnly(10, 30)));
        Assert.Contains(result.Events.Between(fall.AddHours(-1), fall.AddSeconds(1)), e => e.IsMotionStart());
        Assert.DoesNotContain(result.Events, e => e.Ts > fall && (e.IsMotionStart() || e.SensorId == SensorLayout.FrontDoor || e.SensorId == SensorLayout.MailboxDoor));
        Assert.All(result.Truth.Days.Where(d => d.Date > Start.AddDays(20)), d => Assert.Equal(DayStatus.Fallen, d.Status));
    }

    [Fact]
    public void A_fall_that_lasts_six_hours_ends_with_helpers_at_the_door_and_a_hospital_stay()
    {
        var (result, truth) = Inject(4, InjectedPattern.Fall(Start.AddDays(10), new TimeOnly(9, 0), TimeSpan.FromHours(6)));
        var found = truth.ResolvedAt!.Value;

        Assert.Equal(TimeSpan.FromHours(6), found - truth.CountFrom!.Value);
        Assert.DoesNotContain(result.Events.Between(truth.CountFrom.Value.AddSeconds(1), found), e => e.IsMotionStart() || e.IsDoorOpen());
        Assert.Contains(result.Events.Between(found, found.AddMinutes(1)), e => e.IsDoorOpen());
        var stay = Assert.Single(result.Context, c => c.Kind == ContextKind.Hospital);
        Assert.InRange(stay.Start - found, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60));
        Assert.DoesNotContain(result.Events.Between(stay.Start.AddMinutes(2), stay.End), e => e.IsMotionStart());
        Assert.Contains(result.Events.Between(stay.End, stay.End.AddDays(1)), e => e.IsMotionStart());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void A_night_exit_opens_the_door_at_night_and_no_motion_follows(int seed)
    {
        var (result, truth) = Inject(seed, InjectedPattern.NightExitWithoutReturn(Start.AddDays(15)));
        var exit = truth.CountFrom!.Value;

        Assert.True(AtNight(exit), $"The exit at {SimulatedEvents.Local(exit)} is not at night.");
        var door = result.Events.Where(e => e.SensorId == SensorLayout.FrontDoor && e.Ts >= exit).Take(3).ToList();
        Assert.Equal([SensorStates.Open, SensorStates.Closed], door.Select(e => e.State));
        Assert.Equal(exit, door[0].Ts);
        Assert.DoesNotContain(result.Events, e => e.Ts > exit && e.IsMotionStart());
        Assert.Contains(result.Events.Between(exit.AddMinutes(-5), exit), e => e.IsMotionStart() && e.SensorId != "motion-bedroom");
    }

    [Fact]
    public void A_door_left_open_at_night_stays_open_until_the_morning()
    {
        var (result, truth) = Inject(7, InjectedPattern.DoorOpenAtNight(Start.AddDays(12)));
        var opened = truth.CountFrom!.Value;

        Assert.True(AtNight(opened));
        var door = result.Events.Where(e => e.SensorId == SensorLayout.FrontDoor && e.Ts >= opened).Take(2).ToList();
        Assert.Equal([SensorStates.Open, SensorStates.Closed], door.Select(e => e.State));
        Assert.Equal(truth.ResolvedAt, door[1].Ts);
        Assert.True(door[1].Ts - door[0].Ts > TimeSpan.FromHours(1));
        Assert.Contains(result.Events.Between(opened.AddHours(1), opened.AddHours(12)), e => e.IsMotionStart());
    }

    [Fact]
    public void Not_up_in_the_morning_means_no_motion_outside_the_bedroom_from_the_usual_wake_time()
    {
        var (result, truth) = Inject(8, InjectedPattern.NotUpInMorning(Start.AddDays(9), TimeSpan.FromHours(4)));
        var usual = truth.CountFrom!.Value;
        var up = truth.ResolvedAt!.Value;

        Assert.Equal(TimeSpan.FromHours(4), up - usual);
        Assert.DoesNotContain(result.Events.Between(usual, up), e => e.IsMotionStart() && e.SensorId != "motion-bedroom");
        Assert.Contains(result.Events.Between(up, up.AddMinutes(30)), e => e.IsMotionStart() && e.SensorId != "motion-bedroom");
        var usualLocal = SimulatedEvents.Local(usual).TimeOfDay.TotalHours;
        var normal = result.Truth.Days.Where(d => d.Rose is not null && d.Date != Start.AddDays(9)).Average(d => SimulatedEvents.Local(d.Rose!.Value).TimeOfDay.TotalHours);
        Assert.InRange(usualLocal - normal, -2.5, 2.5);
    }

    [Fact]
    public void A_decline_is_reported_with_its_onset_and_the_day_it_reaches_full_effect()
    {
        var pattern = InjectedPattern.Decline(PatternKind.DeclinePost, Start.AddDays(10), 28);
        var result = ResidentSimulator.Run(SimulatedEvents.Quiet(9, Start, 60) with { Patterns = [pattern] });

        var truth = Assert.Single(result.Truth.Patterns);
        Assert.Equal(Start.AddDays(10).ToDateTime(TimeOnly.MinValue), SimulatedEvents.Local(truth.Onset));
        Assert.Equal(Start.AddDays(38).ToDateTime(TimeOnly.MinValue), SimulatedEvents.Local(truth.FullFrom!.Value));
        Assert.Null(truth.CountFrom);
        Assert.Equal(0, pattern.SeverityOn(Start.AddDays(9)));
        Assert.InRange(pattern.SeverityOn(Start.AddDays(23)), 0.45, 0.55);
        Assert.Equal(1, pattern.SeverityOn(Start.AddDays(50)));
    }

    [Fact]
    public void A_fall_that_finds_no_moment_before_the_run_ends_is_reported_as_not_placed()
    {
        var result = ResidentSimulator.Run(SimulatedEvents.Quiet(10, Start, 5) with { Patterns = [InjectedPattern.Fall(Start.AddDays(4), new TimeOnly(23, 59))] });

        var truth = Assert.Single(result.Truth.Patterns);
        Assert.False(truth.Placed);
        Assert.Null(truth.CountFrom);
        Assert.Contains(result.Events.Between(result.End.AddHours(-20), result.End), e => e.IsMotionStart());
    }

    [Fact]
    public void A_pattern_outside_the_run_is_refused_with_a_clear_message()
    {
        var scenario = SimulatedEvents.Quiet(11, Start, 10);

        foreach (var pattern in new[] { InjectedPattern.NotUpInMorning(Start.AddDays(10)), InjectedPattern.Fall(Start.AddDays(-1), new TimeOnly(10, 0)), InjectedPattern.Decline(PatternKind.DeclinePost, Start.AddDays(12), 14) })
        {
            var error = Assert.Throws<ArgumentException>(() => ResidentSimulator.Run(scenario with { Patterns = [pattern] }));
            Assert.Contains("outside the run", error.Message, StringComparison.Ordinal);
        }

        // A decline that began before the run is a resident already declining.
        var declining = ResidentSimulator.Run(scenario with { Patterns = [InjectedPattern.Decline(PatternKind.DeclineOutings, Start.AddDays(-30), 28)] });
        Assert.True(declining.Events.Count(e => e.IsDoorOpen()) < 0.7 * ResidentSimulator.Run(scenario).Events.Count(e => e.IsDoorOpen()));
    }
}
