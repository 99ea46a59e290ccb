using System.Collections;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Context;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Kits;
using HomeSignal.Simulation.Patterns;
using HomeSignal.Simulation.Routines;

namespace HomeSignal.Simulation;

/// <summary>Runs a scenario: whole (<see cref="Run"/>) or one resident-day at a time (<see cref="Stream"/>).</summary>
public static class ResidentSimulator
{
    public static SimulationResult Run(SimulationScenario scenario)
    {
        var stream = Stream(scenario);
        var events = new List<SensorEvent>(scenario.Days * 400);
        var days = new List<DaySummary>(scenario.Days);
        var patterns = new List<PatternTruth>();
        var context = new List<ContextPeriod>();
        var visitors = new List<VisitorPeriod>();
        foreach (var day in stream)
        {
            events.AddRange(day.Events);
            days.Add(day.Summary);
            patterns.AddRange(day.Patterns);
            context.AddRange(day.Context);
            visitors.AddRange(day.Visitors);
        }

        return new SimulationResult
        {
            KitId = scenario.KitId,
            Start = stream.Start,
            End = stream.End,
            Sensors = stream.Sensors,
            Events = events,
            KitOffline = stream.KitOffline,
            Truth = new SimulationTruth(patterns, stream.Faults, days),
            Context = context,
            Visitors = visitors,
        };
    }

    /// <summary>
    /// Simulates lazily, one resident-day per item, holding only that day in memory: for long evaluation runs.
    /// Enumerate it once; each enumeration starts the run afresh and gives the same days.
    /// </summary>
    public static SimulationStream Stream(SimulationScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        return new SimulationStream(scenario);
    }
}

/// <summary>A lazily simulated run. Faults and kit outages are planned up front and known before the first day.</summary>
public sealed class SimulationStream : IEnumerable<SimulatedDay>
{
    private readonly SimulationScenario _scenario;
    private readonly DateTime _start;
    private readonly DateTime _end;
    private readonly FaultPlan _faults;

    internal SimulationStream(SimulationScenario scenario)
    {
        _scenario = scenario;
        _start = LocalClock.ToUtc(scenario.Start, 0);
        _end = LocalClock.ToUtc(scenario.Start.AddDays(scenario.Days), 0);
        Sensors = SensorLayout.For(scenario.Profile);
        _faults = FaultPlan.Create(scenario, Sensors, _start, _end);
        PlannedContext = LifeCalendar.Plan(scenario).Context;
    }

    /// <summary>Holidays and hospital stays planned for the run, known before the first day is simulated.</summary>
    public IReadOnlyList<ContextPeriod> PlannedContext { get; }

    public string KitId => _scenario.KitId;

    public DateTimeOffset Start => new(_start, TimeSpan.Zero);

    public DateTimeOffset End => new(_end, TimeSpan.Zero);

    public IReadOnlyList<SensorAssignment> Sensors { get; }

    public IReadOnlyList<FaultEpisode> Faults => _faults.Episodes;

    public IReadOnlyList<KitOfflineInterval> KitOffline => _faults.Offline;

    public IEnumerator<SimulatedDay> GetEnumerator()
    {
        // Fresh state per enumeration: the fault plan is immutable after creation; everything else is rebuilt here.
        var calendar = LifeCalendar.Plan(_scenario);
        var planner = new DayPlanner(_scenario, calendar, _end);
        var renderer = new SensorRenderer(Sensors);
        var publisher = new KitPublisher(_scenario.KitId, _scenario.Seed, Sensors, _faults);
        var periods = new List<SensorPeriod>(512);
        var plannedContext = calendar.Context.ToList();
        var dayStart = _start;
        for (var d = 0; d < _scenario.Days; d++)
        {
            var date = _scenario.Start.AddDays(d);
            var last = d == _scenario.Days - 1;
            var dayEnd = last ? _end : DayPlanner.PlannedWake(_scenario.Seed, _scenario.Profile, date.AddDays(1));
            var plan = planner.Plan(date, dayStart, dayEnd, first: d == 0);
            periods.Clear();
            renderer.Render(plan, Seeds.ForDay(_scenario.Seed, date, Streams.Render), periods);
            _faults.Apply(periods, dayStart, dayEnd, date);
            var events = new List<SensorEvent>(periods.Count * 2 + 4);
            publisher.Publish(periods, dayEnd, events);
            if (last)
            {
                publisher.Discard();
                planner.GiveUpPending();
            }

            var context = plannedContext.Where(c => c.Start.UtcDateTime >= dayStart && c.Start.UtcDateTime < dayEnd).Concat(planner.NewContext).ToList();
            var status = planner.AwayAtNoon(date) switch
            {
                AwayKind.Holiday => DayStatus.Holiday,
                AwayKind.Hospital => DayStatus.Hospital,
                AwayKind.Fallen => DayStatus.Fallen,
                AwayKind.NightOut => DayStatus.Missing,
                _ => DayStatus.Home,
            };
            var summary = new DaySummary(
                date,
                status,
                Offset(plan.Rose),
                Offset(plan.Bed),
                plan.Outings.Count,
                TimeSpan.FromTicks(plan.Outings.Sum(o => (o.End - o.Start).Ticks)),
                plan.NightVisits,
                Offset(plan.PostDelivered),
                Offset(plan.PostCollected),
                plan.Visits.Count);
            yield return new SimulatedDay(
                date,
                new DateTimeOffset(dayStart, TimeSpan.Zero),
                new DateTimeOffset(dayEnd, TimeSpan.Zero),
                events,
                summary,
                planner.Truths.ToList(),
                context,
                plan.Visits.Select(v => new VisitorPeriod(new DateTimeOffset(v.Start, TimeSpan.Zero), new DateTimeOffset(v.End, TimeSpan.Zero))).ToList());
            dayStart = dayEnd;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static DateTimeOffset? Offset(DateTime? utc) => utc is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
}
