using HomeSignal.Simulation;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Evaluation.Evaluation;

/// <summary>The simulated population: one scenario per resident, each with acute patterns spread over the year (after
/// the learning period) and, for a share of residents, one 4-week slow decline. Faults and ordinary-life confounders
/// (holidays, hospital, visitors, day care) are on for everyone.</summary>
public static class Population
{
    public sealed record Member(int Seed, int Index, SimulationScenario Scenario);

    public static IReadOnlyList<Member> Build(EvaluationOptions o)
    {
        var members = new List<Member>();
        foreach (var seed in o.Seeds)
        {
            for (var i = 0; i < o.Residents; i++)
            {
                var residentSeed = unchecked(seed * 100_003 + i * 7919 + 17);
                var days = 365 * o.Years;
                var rng = new Random(residentSeed);
                var patterns = new List<InjectedPattern>();
                for (var y = 0; y < o.Years; y++)
                {
                    var first = y * 365 + (y == 0 ? 60 : 10);
                    var slots = Enumerable.Range(0, 6).Select(k => first + k * ((365 - (y == 0 ? 70 : 20)) / 6) + rng.Next(0, 20)).ToList();
                    var kinds = new[] { PatternKind.Fall, PatternKind.NotUpInMorning, PatternKind.Fall, PatternKind.DoorOpenAtNight, PatternKind.NightExitWithoutReturn, PatternKind.Fall };
                    for (var k = 0; k < slots.Count; k++)
                    {
                        var day = o.Start.AddDays(Math.Min(slots[k], days - 3));
                        patterns.Add(kinds[k] switch
                        {
                            PatternKind.Fall => InjectedPattern.Fall(day, new TimeOnly(9 + rng.Next(0, 10), rng.Next(0, 60)), TimeSpan.FromHours(10)),
                            PatternKind.NotUpInMorning => InjectedPattern.NotUpInMorning(day),
                            PatternKind.DoorOpenAtNight => InjectedPattern.DoorOpenAtNight(day),
                            _ => InjectedPattern.NightExitWithoutReturn(day, null, TimeSpan.FromHours(6)),
                        });
                    }
                }

                if (rng.NextDouble() < o.DeclineShare && days >= 200)
                {
                    var kind = PatternKinds.Decline[(i + seed) % PatternKinds.Decline.Count];
                    var onset = o.Start.AddDays(rng.Next(100, days - 80));
                    patterns.Add(InjectedPattern.Decline(kind, onset, 28));
                }

                var scenario = SimulationScenario.Create(residentSeed, o.Start, days) with
                {
                    Patterns = patterns,
                    Faults = FaultSwitches.All,
                };
                members.Add(new Member(seed, i, scenario));
            }
        }

        return members;
    }
}
