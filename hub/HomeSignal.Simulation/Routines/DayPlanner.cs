using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Residents;

namespace HomeSignal.Simulation.Routines;

/// <summary>
/// Plans one resident-day: from the (base) wake time of one day to the base wake time of the next, so the night
/// belongs to the evening before it. Outings, visitors, post, acute patterns and the presence in rooms that follows.
/// Each day draws from its own random stream, so a change on one day never shifts another day's routine.
/// </summary>
internal sealed partial class DayPlanner
{
    private static readonly TimeSpan FarFuture = TimeSpan.FromDays(36500);

    private readonly SimulationScenario _scenario;
    private readonly ResidentProfile _profile;
    private readonly LifeCalendar _calendar;
    private readonly DateTime _runEnd;
    private readonly bool _dayCareEntered;
    private readonly List<InjectedPattern> _pendingFalls = [];
    private DateTime? _postWaitingSince;

    public DayPlanner(SimulationScenario scenario, LifeCalendar calendar, DateTime runEnd)
    {
        _scenario = scenario;
        _profile = scenario.Profile;
        _calendar = calendar;
        _runEnd = runEnd;
        _dayCareEntered = new Random(Seeds.Mix(scenario.Seed, Streams.Life, 2)).NextDouble() < 0.9;
    }

    /// <summary>Truths of the acute patterns placed (or given up on) by the last call of <see cref="Plan"/>.</summary>
    public List<PatternTruth> Truths { get; } = [];

    /// <summary>Context periods that began in the last planned day (day care, hospital after a fall).</summary>
    public List<ContextPeriod> NewContext { get; } = [];

    /// <summary>The base wake time of a date: where one resident-day ends and the next begins.</summary>
    public static DateTime PlannedWake(int seed, ResidentProfile profile, DateOnly date)
    {
        var rng = Seeds.ForDay(seed, date, Streams.Wake);
        // A little later at the weekend, when nothing is on.
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.25 : 0.0;
        var hours = profile.WakeTime.TotalHours + Seasons.WakeShiftHours(date) + weekend + profile.WakeSpreadHours * ResidentProfile.Gaussian(rng);
        return LocalClock.ToUtc(date, Math.Clamp(hours, 3.75, 11.5));
    }

    public DayPlan Plan(DateOnly date, DateTime start, DateTime end, bool first)
    {
        Truths.Clear();
        NewContext.Clear();
        var plan = new DayPlan();
        var rng = Seeds.ForDay(_scenario.Seed, date, Streams.Day);
        var severity = Severity.On(_scenario.Patterns, date);

        var baseWake = first ? PlannedWake(_scenario.Seed, _profile, date) : start;
        var wake = baseWake.AddHours(DeclineEffects.RisingDelayHours * severity.Rising);
        var awakeHours = _profile.AwakeHours + Seasons.AwakeShiftHours(date) + 0.5 * ResidentProfile.Gaussian(rng);
        var bed = baseWake.AddHours(awakeHours);
        foreach (var p in _scenario.Patterns.Where(p => p.Day == date && p.Kind.IsDecline()))
        {
            var onset = LocalClock.ToUtc(date, 0);
            var full = LocalClock.ToUtc(date.AddDays(p.RampDays), 0);
            Truths.Add(new PatternTruth(p.Kind, p, true, At(onset), null, At(full), null,
                $"{p.Kind} ramps up from {date:yyyy-MM-dd} over {p.RampDays} days to magnitude {p.Magnitude:0.##}."));
        }

        foreach (var p in PatternsOn(PatternKind.NotUpInMorning, date))
        {
            var inBed = p.Duration ?? TimeSpan.FromHours(5);
            wake = baseWake + inBed;
            Truths.Add(new PatternTruth(p.Kind, p, true, At(baseWake), At(baseWake), null, At(wake),
                $"Stays in bed from the usual wake time {LocalText(baseWake)} for {inBed.TotalHours:0.#} h."));
        }

        if (end < _runEnd)
        {
            bed = Min(bed, end.AddHours(-5));
        }

        bed = Min(Max(bed, wake.AddHours(1)), end.AddMinutes(-30));
        if (bed <= wake)
        {
            wake = Min(wake, end.AddMinutes(-20));
            bed = wake.AddMinutes(10);
        }

        var aways = _calendar.Aways.Where(a => a.Start < end && a.End > start).ToList();
        var awake = new Segment(wake, bed, false, Edge.Wake, Edge.Bed);
        var freeAwake = Subtract([awake], aways);

        PlanOutings(plan, rng, date, freeAwake, severity);
        aways.AddRange(plan.Outings);
        var homeAwake = Subtract([awake], aways);
        if (_scenario.Confounders.Visitors)
        {
            PlanVisits(plan, rng, date, homeAwake);
        }

        PlaceFall(plan, date, wake, homeAwake, aways);
        List<Segment> baseSegments =
            [new Segment(start, wake, true, Edge.Continue, Edge.Wake), awake, new Segment(bed, end, true, Edge.Bed, Edge.Continue)];
        var doorAtNight = PlaceNightPatterns(date, bed, end, Subtract(baseSegments, aways), aways, rng);
        var segments = Subtract(baseSegments, aways);
        var collections = PlanPost(plan, rng, date, start, segments, severity);
        BuildPresence(plan, rng, segments, collections, doorAtNight, bed, end, severity);

        plan.Bed = segments.Any(s => s.Entry == Edge.Bed) ? bed : null;
        plan.Rose = segments.Any(s => s.Entry == Edge.Wake) ? wake : null;
        return plan;
    }

    /// <summary>Where the resident was at local noon of the date.</summary>
    public AwayKind? AwayAtNoon(DateOnly date)
    {
        var noon = LocalClock.ToUtc(date, 12);
        foreach (var a in _calendar.Aways)
        {
            if (a.Start <= noon && a.End > noon)
            {
                return a.Kind;
            }
        }

        return null;
    }

    private void PlanOutings(DayPlan plan, Random rng, DateOnly date, List<Segment> freeAwake, Severity severity)
    {
        var mean = _profile.OutingsPerDay * Seasons.OutingsFactor(date) * (1 - DeclineEffects.OutingsReduction * severity.Outings);
        // A hurdle model: ~15% of days without an outing overall, a little more in winter, and the rest 1 + Poisson.
        var zeroChance = mean <= 0 ? 1.0 : Math.Clamp(0.15 * Math.Sqrt(1.9 / mean), 0.05, 0.9);
        var extra = mean / (1 - zeroChance) - 1;
        if (extra < 0)
        {
            zeroChance = 1 - mean;
            extra = 0;
        }

        var count = rng.NextDouble() < zeroChance ? 0 : 1 + LifeCalendar.Poisson(rng, extra);
        var windows = new List<(DateTime Start, DateTime End)>();
        var dayStart = LocalClock.ToUtc(date, 8);
        var dayEnd = LocalClock.ToUtc(date, 21);
        foreach (var s in freeAwake)
        {
            windows.Add((Max(s.Start.AddMinutes(30), dayStart), Min(s.End.AddMinutes(-30), dayEnd)));
        }

        if (_scenario.Confounders.DayCare && _profile.DayCareDays.Contains(date.DayOfWeek))
        {
            var from = LocalClock.ToUtc(date, 9.5 + 0.15 * rng.NextDouble());
            var to = LocalClock.ToUtc(date, 15.5 + 0.2 * rng.NextDouble());
            var fits = freeAwake.Any(s => s.Start <= from.AddMinutes(-20) && s.End >= to.AddMinutes(20));
            if (fits)
            {
                // Day care is an appointment: it happens whatever the day's mood, and counts as one of the outings.
                plan.Outings.Add(new Away(from, to, AwayKind.DayCare, true, true));
                NewContext.Add(new ContextPeriod(ContextKind.DayCare, At(from), At(to), _dayCareEntered));
                count = Math.Max(0, count - 1);
                windows = windows.SelectMany(w => Cut(w, from.AddMinutes(-45), to.AddMinutes(45))).ToList();
            }
        }

        windows.RemoveAll(w => w.End - w.Start < TimeSpan.FromMinutes(20));
        var free = windows.Sum(w => (w.End - w.Start).TotalMinutes);
        if (count == 0 || free < 30)
        {
            return;
        }

        var median = _profile.OutingMedian.TotalMinutes * (1 - 0.3 * severity.Outings);
        var durations = new double[count];
        for (var i = 0; i < count; i++)
        {
            durations[i] = Math.Clamp(median * Math.Exp(0.6 * ResidentProfile.Gaussian(rng)), 15, 300);
        }

        var busy = durations.Sum();
        if (busy > 0.6 * free)
        {
            var scale = 0.6 * free / busy;
            for (var i = 0; i < count; i++)
            {
                durations[i] *= scale;
            }

            busy = 0.6 * free;
        }

        // Spread the outings over the free time with random gaps (a Dirichlet split of the slack).
        var gaps = new double[count + 1];
        for (var i = 0; i <= count; i++)
        {
            gaps[i] = -Math.Log(1 - rng.NextDouble());
        }

        var slack = (free - busy) / gaps.Sum();
        var position = 0.0;
        for (var i = 0; i < count; i++)
        {
            position += gaps[i] * slack;
            var (startAt, windowEnd) = Locate(windows, position);
            var endAt = Min(startAt.AddMinutes(durations[i]), windowEnd.AddMinutes(-5));
            if (endAt - startAt >= TimeSpan.FromMinutes(10))
            {
                plan.Outings.Add(new Away(startAt, endAt, AwayKind.Outing, true, true));
            }

            position += durations[i];
        }

        plan.Outings.Sort((a, b) => a.Start.CompareTo(b.Start));
    }

    private void PlanVisits(DayPlan plan, Random rng, DateOnly date, List<Segment> homeAwake)
    {
        // Family comes more often at the weekend.
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.6 : 0.76;
        var count = Math.Min(2, LifeCalendar.Poisson(rng, weekend * _profile.VisitorsPerWeek / 7));
        for (var i = 0; i < count; i++)
        {
            var from = LocalClock.ToUtc(date, 10 + 9 * rng.NextDouble());
            var to = from.AddMinutes(Math.Clamp(70 * Math.Exp(0.5 * ResidentProfile.Gaussian(rng)), 20, 180));
            var inside = homeAwake.Any(s => s.Start <= from.AddMinutes(-10) && s.End >= to.AddMinutes(10));
            var clash = plan.Visits.Any(v => v.Start < to.AddMinutes(30) && v.End > from.AddMinutes(-30));
            if (inside && !clash)
            {
                plan.Visits.Add((from, to));
            }
        }

        plan.Visits.Sort((a, b) => a.Start.CompareTo(b.Start));
    }

    private IEnumerable<InjectedPattern> PatternsOn(PatternKind kind, DateOnly date) =>
        _scenario.Patterns.Where(p => p.Kind == kind && p.Day == date);

    private static List<Segment> Subtract(List<Segment> segments, IEnumerable<Away> aways)
    {
        foreach (var away in aways.OrderBy(a => a.Start))
        {
            segments = Segment.Subtract(segments, away);
        }

        return segments.Where(s => s.End > s.Start).ToList();
    }

    private static IEnumerable<(DateTime Start, DateTime End)> Cut((DateTime Start, DateTime End) window, DateTime from, DateTime to)
    {
        if (to <= window.Start || from >= window.End)
        {
            yield return window;
            yield break;
        }

        if (from > window.Start)
        {
            yield return (window.Start, from);
        }

        if (to < window.End)
        {
            yield return (to, window.End);
        }
    }

    /// <summary>Maps minutes along the concatenated windows to a time and the end of its window.</summary>
    private static (DateTime At, DateTime WindowEnd) Locate(List<(DateTime Start, DateTime End)> windows, double minutes)
    {
        foreach (var w in windows)
        {
            var length = (w.End - w.Start).TotalMinutes;
            if (minutes < length)
            {
                return (w.Start.AddMinutes(minutes), w.End);
            }

            minutes -= length;
        }

        var last = windows[^1];
        return (last.End, last.End);
    }

    internal static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    internal static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    internal static DateTimeOffset At(DateTime utc) => LocalClock.Offset(utc);

    internal static string LocalText(DateTime utc) => LocalClock.ToLocal(utc).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
