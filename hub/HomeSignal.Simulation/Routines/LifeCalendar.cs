using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Simulation.Routines;

/// <summary>
/// The long absences of a run (holidays, hospital stays) and, as the days are simulated, the acute situations that
/// outlast a day (a fall, a night exit). Planned from the scenario's own random stream.
/// </summary>
internal sealed class LifeCalendar
{
    private readonly List<Away> _aways = [];

    public List<ContextPeriod> Context { get; } = [];

    public IReadOnlyList<Away> Aways => _aways;

    public static LifeCalendar Plan(SimulationScenario scenario)
    {
        var calendar = new LifeCalendar();
        var rng = new Random(Seeds.Mix(scenario.Seed, Streams.Life));
        var profile = scenario.Profile;
        var years = scenario.Days / 365.25;
        var blocked = BlockedWindows(scenario);

        if (scenario.Confounders.Holidays && profile.HolidaysPerYear > 0)
        {
            var count = Poisson(rng, profile.HolidaysPerYear * years);
            for (var i = 0; i < count; i++)
            {
                var length = 7 + rng.Next(15);
                // Holidays favour May–September.
                var day = PickDay(rng, scenario, length, d => Math.Abs(d.Month - 7) <= 2 ? 1.0 : 0.35);
                if (day is { } start)
                {
                    calendar.TryAdd(rng, blocked, start, length, AwayKind.Holiday, 9 + 3 * rng.NextDouble(), 14 + 5 * rng.NextDouble(), 0.8);
                }
            }
        }

        if (scenario.Confounders.HospitalStays && profile.HospitalStaysPerYear > 0)
        {
            var count = Poisson(rng, profile.HospitalStaysPerYear * years);
            for (var i = 0; i < count; i++)
            {
                var length = 2 + rng.Next(13);
                if (PickDay(rng, scenario, length, _ => 1.0) is { } start)
                {
                    calendar.TryAdd(rng, blocked, start, length, AwayKind.Hospital, 8 + 12 * rng.NextDouble(), 11 + 5 * rng.NextDouble(), 0.7);
                }
            }
        }

        return calendar;
    }

    public void Add(Away away)
    {
        var index = _aways.FindIndex(a => a.Start > away.Start);
        _aways.Insert(index < 0 ? _aways.Count : index, away);
    }

    public bool Overlaps(DateTime start, DateTime end) => _aways.Any(a => a.Start < end && a.End > start);

    private void TryAdd(Random rng, List<(DateOnly From, DateOnly To)> blocked, DateOnly start, int length, AwayKind kind, double leaveHour, double returnHour, double enteredChance)
    {
        var end = start.AddDays(length);
        var entered = rng.NextDouble() < enteredChance;
        if (blocked.Any(b => b.From <= end && b.To >= start))
        {
            return;
        }

        var from = LocalClock.ToUtc(start, leaveHour);
        var to = LocalClock.ToUtc(end, returnHour);
        // Keep a week between long absences so each stands on its own.
        if (Overlaps(from.AddDays(-7), to.AddDays(7)))
        {
            return;
        }

        Add(new Away(from, to, kind, DoorAtStart: true, DoorAtEnd: true));
        Context.Add(new ContextPeriod(kind == AwayKind.Holiday ? ContextKind.Holiday : ContextKind.Hospital,
            LocalClock.Offset(from), LocalClock.Offset(to), entered));
    }

    /// <summary>Injected patterns stay clear of planned absences, so each one is visible in full.</summary>
    private static List<(DateOnly From, DateOnly To)> BlockedWindows(SimulationScenario scenario) =>
        scenario.Patterns.Select(p => p.Kind.IsAcute()
                ? (p.Day.AddDays(-2), p.Day.AddDays(3))
                : (p.Day.AddDays(-14), p.Day.AddDays(p.RampDays + 14)))
            .ToList();

    private static DateOnly? PickDay(Random rng, SimulationScenario scenario, int length, Func<DateOnly, double> weight)
    {
        if (scenario.Days <= length + 4)
        {
            return null;
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            var day = scenario.Start.AddDays(1 + rng.Next(scenario.Days - length - 2));
            if (rng.NextDouble() < weight(day))
            {
                return day;
            }
        }

        return null;
    }

    internal static int Poisson(Random rng, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        // Knuth's method; means here are small (< 30).
        var limit = Math.Exp(-mean);
        var product = rng.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= rng.NextDouble();
        }

        return count;
    }
}
