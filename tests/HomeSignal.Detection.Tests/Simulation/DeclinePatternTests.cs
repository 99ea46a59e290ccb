using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Detection.Tests.Simulation;

/// <summary>
/// Each decline is compared with the same resident without it (same seed): days before onset are identical, so the
/// difference in a weekly metric is the decline's own effect.
/// </summary>
public class DeclinePatternTests
{
    private const int Lead = 14;
    private static readonly int[] Seeds = [21, 22, 23];

    private sealed record Pair(DateOnly Onset, int Ramp, List<SimulationResult> Plain, List<SimulationResult> Declining)
    {
        public DateOnly FullFrom => Onset.AddDays(Ramp);
    }

    private static Pair Simulate(PatternKind kind, int ramp, DateOnly start, double magnitude = 1.0)
    {
        var onset = start.AddDays(Lead);
        var days = Lead + ramp + 14;
        var plain = Seeds.Select(s => ResidentSimulator.Run(SimulatedEvents.Quiet(s, start, days))).ToList();
        var declining = Seeds.Select(s => ResidentSimulator.Run(SimulatedEvents.Quiet(s, start, days) with
        {
            Patterns = [InjectedPattern.Decline(kind, onset, ramp, magnitude)],
        })).ToList();
        return new Pair(onset, ramp, plain, declining);
    }

    private static double Sum(List<SimulationResult> results, DateOnly from, DateOnly to, Func<SimulationResult, DateOnly, DateOnly, double> metric) =>
        results.Sum(r => metric(r, from, to));

    private static double Ratio(Pair pair, DateOnly from, DateOnly to, Func<SimulationResult, DateOnly, DateOnly, double> metric) =>
        Sum(pair.Declining, from, to, metric) / Sum(pair.Plain, from, to, metric);

    private static IEnumerable<SensorEvent> OnDates(SimulationResult r, DateOnly from, DateOnly to) =>
        r.Events.Where(e => DateOnly.FromDateTime(SimulatedEvents.Local(e.Ts)) is var d && d >= from && d < to);

    private static double Outings(SimulationResult r, DateOnly from, DateOnly to) =>
        SimulatedEvents.OutingsPerDay(r.Events).Where(kv => kv.Key >= from && kv.Key < to).Sum(kv => kv.Value);

    private static double MotionPeriods(SimulationResult r, DateOnly from, DateOnly to) =>
        OnDates(r, from, to).Count(e => e.IsMotionStart());

    [Theory]
    [InlineData(14)]
    [InlineData(28)]
    [InlineData(56)]
    public void Fewer_outings_ramp_to_about_sixty_percent_fewer(int ramp)
    {
        var pair = Simulate(PatternKind.DeclineOutings, ramp, new DateOnly(2025, 5, 1));

        Assert.Equal(1.0, Ratio(pair, pair.Onset.AddDays(-Lead), pair.Onset.AddDays(-1), Outings), 3);
        Assert.InRange(Ratio(pair, pair.FullFrom, pair.FullFrom.AddDays(14), Outings), 1 - DeclineEffects.OutingsReduction - 0.15, 1 - DeclineEffects.OutingsReduction + 0.15);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(28)]
    [InlineData(56)]
    public void Less_movement_ramps_to_about_half_the_motion_and_is_halfway_in_the_middle_of_the_ramp(int ramp)
    {
        var pair = Simulate(PatternKind.DeclineMovement, ramp, new DateOnly(2025, 2, 1));
        var full = Ratio(pair, pair.FullFrom, pair.FullFrom.AddDays(14), MotionPeriods);
        var middle = Ratio(pair, pair.Onset.AddDays(ramp / 2 - 3), pair.Onset.AddDays(ramp / 2 + 4), MotionPeriods);

        Assert.InRange(full, 0.4, 0.7);
        Assert.InRange(middle, full + 0.05, 0.95);
    }

    [Fact]
    public void Post_left_uncollected_ramps_to_most_deliveries_waiting_in_the_box()
    {
        var pair = Simulate(PatternKind.DeclinePost, 28, new DateOnly(2025, 3, 1));

        double CollectedShare(List<SimulationResult> results, DateOnly from, DateOnly to)
        {
            int deliveries = 0, collectedSameDay = 0;
            foreach (var r in results)
            {
                var byDate = OnDates(r, from, to).Where(e => e.State == SensorStates.Open && e.SensorId is SensorLayout.MailboxFlap or SensorLayout.MailboxDoor)
                    .GroupBy(e => DateOnly.FromDateTime(SimulatedEvents.Local(e.Ts)));
                foreach (var day in byDate)
                {
                    var flap = day.FirstOrDefault(e => e.SensorId == SensorLayout.MailboxFlap);
                    if (flap is not null)
                    {
                        deliveries++;
                        collectedSameDay += day.Any(e => e.SensorId == SensorLayout.MailboxDoor && e.Ts > flap.Ts) ? 1 : 0;
                    }
                }
            }

            return collectedSameDay / (double)deliveries;
        }

        Assert.True(CollectedShare(pair.Plain, pair.FullFrom, pair.FullFrom.AddDays(14)) > 0.8);
        Assert.True(CollectedShare(pair.Declining, pair.FullFrom, pair.FullFrom.AddDays(14)) < 0.25);
    }

    [Fact]
    public void Later_rising_ramps_to_about_two_hours_later_in_the_living_room_or_kitchen()
    {
        var pair = Simulate(PatternKind.DeclineRising, 28, new DateOnly(2025, 10, 1));

        double FirstDaytimeMotion(List<SimulationResult> results) => results.SelectMany(r =>
                OnDates(r, pair.FullFrom, pair.FullFrom.AddDays(14))
                    .Where(e => e.IsMotionStart() && e.SensorId is "motion-living" or "motion-kitchen" && SimulatedEvents.Local(e.Ts).Hour >= 3)
                    .GroupBy(e => DateOnly.FromDateTime(SimulatedEvents.Local(e.Ts)))
                    .Select(g => SimulatedEvents.Local(g.First().Ts).TimeOfDay.TotalHours))
            .Average();

        Assert.InRange(FirstDaytimeMotion(pair.Declining) - FirstDaytimeMotion(pair.Plain), DeclineEffects.RisingDelayHours - 0.5, DeclineEffects.RisingDelayHours + 0.5);
    }

    [Fact]
    public void Restless_nights_ramp_to_about_two_more_night_visits_and_more_movement_in_bed()
    {
        var pair = Simulate(PatternKind.DeclineNights, 28, new DateOnly(2025, 1, 5));

        // Night visits as a detector counts them: bathroom motion between 00:00 and 05:00, clustered by 10 minutes.
        double NightVisits(SimulationResult r, DateOnly from, DateOnly to)
        {
            var visits = 0;
            DateTimeOffset? last = null;
            foreach (var e in OnDates(r, from, to).Where(e => e.IsMotionStart() && e.SensorId == "motion-bathroom" && SimulatedEvents.Local(e.Ts).Hour < 5))
            {
                visits += last is { } l && e.Ts - l < TimeSpan.FromMinutes(10) ? 0 : 1;
                last = e.Ts;
            }

            return visits;
        }

        double Bedroom(SimulationResult r, DateOnly from, DateOnly to) =>
            OnDates(r, from, to).Count(e => e.IsMotionStart() && e.SensorId == "motion-bedroom" && SimulatedEvents.Local(e.Ts).Hour is >= 1 and < 5);

        var nights = 14.0 * Seeds.Length;
        var extra = (Sum(pair.Declining, pair.FullFrom, pair.FullFrom.AddDays(14), NightVisits) - Sum(pair.Plain, pair.FullFrom, pair.FullFrom.AddDays(14), NightVisits)) / nights;
        Assert.InRange(extra, 0.7, 2.2);
        Assert.True(Ratio(pair, pair.FullFrom, pair.FullFrom.AddDays(14), Bedroom) > 2);
    }

    [Fact]
    public void A_half_magnitude_decline_has_about_half_the_effect()
    {
        var pair = Simulate(PatternKind.DeclineMovement, 14, new DateOnly(2025, 2, 1), magnitude: 0.5);

        Assert.InRange(Ratio(pair, pair.FullFrom, pair.FullFrom.AddDays(14), MotionPeriods), 0.65, 0.88);
    }
}
