using HomeSignal.Detection;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Replay;
using HomeSignal.Detection.Signals;
using HomeSignal.Simulation;
using HomeSignal.Simulation.Faults;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Evaluation.Evaluation;

/// <summary>Everything the scorer needs from one simulated resident after the streaming pass: the acute and
/// data-health signals, the daily features (for the nightly layers), the entered context and the truth.</summary>
public sealed record ResidentOutcome(
    string ResidentId,
    DateTimeOffset Start,
    DateTimeOffset End,
    List<Signal> Signals,
    IReadOnlyList<DailyFeatures> Days,
    IReadOnlyList<ContextPeriod> Context,
    IReadOnlyList<PatternTruth> Patterns,
    IReadOnlyList<FaultEpisode> Faults,
    long Events)
{
    /// <summary>Truth kept for tracing only: every context period (entered or not) and visitor period.</summary>
    public List<string> Trace { get; } = [];
}

/// <summary>Pass 1 for one resident: simulate day by day (only one day of events in memory) and replay it through the
/// acute engine exactly as the hub would see it.</summary>
public static class ResidentRun
{
    public static ResidentOutcome Run(Population.Member member, DetectionOptions options)
    {
        var stream = ResidentSimulator.Stream(member.Scenario);
        var residentId = $"r-{member.Seed}-{member.Index:000}";
        var sensors = SimulationAdapter.Sensors(stream.Sensors);
        var offline = SimulationAdapter.Offline(stream);
        var context = new List<ContextPeriod>();
        var patterns = new List<PatternTruth>();
        HistoryReplay? replay = null;
        long events = 0;
        var trace = new List<string>();
        var tracing = Environment.GetEnvironmentVariable("HOMESIGNAL_EVAL_TRACE") is not null;
        foreach (var day in stream)
        {
            // Entered context is known from when it is entered (we take: its start); the replay shares the list.
            foreach (var c in day.Context)
            {
                if (SimulationAdapter.Entered(c) is { } entered)
                {
                    context.Add(entered);
                }
            }

            replay ??= new HistoryReplay(residentId, sensors, options, offline, context);
            foreach (var c in context.Where(c => !replay.State.Context.Contains(c)))
            {
                replay.State.Context.Add(c);
            }

            patterns.AddRange(day.Patterns);
            if (tracing)
            {
                TraceDay(day, trace);
            }

            events += day.Events.Count;
            replay.Feed(SimulationAdapter.Readings(day.Events), day.End);
        }

        replay!.Finish(stream.End);
        var unique = patterns.GroupBy(p => (p.Kind, p.Pattern.Day)).Select(g => g.Last()).ToList();
        var outcome = new ResidentOutcome(residentId, stream.Start, stream.End, [.. replay.Signals], replay.Days, context, unique, stream.Faults, events);
        if (tracing)
        {
            outcome.Trace.AddRange(trace);
            outcome.Trace.AddRange(stream.Faults.Select(f => $"fault {f.Kind} {f.SensorId} {f.Start:u}–{f.End:u}"));
        }

        return outcome;
    }

    /// <summary>Diagnostics only (HOMESIGNAL_EVAL_TRACE): the truth of a day in one line each.</summary>
    private static void TraceDay(SimulatedDay day, List<string> trace)
    {
        foreach (var c in day.Context)
        {
            trace.Add($"context {c.Kind} {c.Start:u}–{c.End:u} entered={c.Entered}");
        }

        foreach (var v in day.Visitors)
        {
            trace.Add($"visitor {v.Start:u}–{v.End:u}");
        }

        trace.Add($"day {day.Date} {day.Summary.Status} rose={day.Summary.Rose:u} outings={day.Summary.Outings} nightvisits={day.Summary.NightVisits}");
    }
}
