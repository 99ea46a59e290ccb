using HomeSignal.Detection.History;
using HomeSignal.Detection.Signals;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Evaluation.Evaluation;

/// <summary>One injected pattern and what detection made of it.</summary>
public sealed record PatternCase(PatternKind Kind, bool Detected, TimeSpan? Delay, bool TopReasonRight, SignalKind? FirstKind);

/// <summary>A signal raised on normal life (outside every injected pattern's window).</summary>
public sealed record FalseSignal(SignalKind Kind, SignalLayer Layer, bool ExplainedByFault);

/// <summary>Matches signals against the truth: detection windows per pattern, and what remains on normal life.</summary>
public static class Scorer
{
    public static readonly TimeSpan AcuteWindow = TimeSpan.FromHours(12);
    public static readonly TimeSpan DeclineGrace = TimeSpan.FromDays(28);

    public static IReadOnlyList<SignalKind> Expected(PatternKind kind) => kind switch
    {
        PatternKind.Fall => [SignalKind.Inactivity, SignalKind.NotUp],
        PatternKind.NotUpInMorning => [SignalKind.NotUp],
        PatternKind.DoorOpenAtNight => [SignalKind.DoorOpenNight],
        PatternKind.NightExitWithoutReturn => [SignalKind.NightExit],
        PatternKind.DeclineOutings => [SignalKind.DeclineOutings],
        PatternKind.DeclinePost => [SignalKind.DeclinePost],
        PatternKind.DeclineMovement => [SignalKind.DeclineMovement],
        PatternKind.DeclineRising => [SignalKind.DeclineRising],
        _ => [SignalKind.DeclineNights],
    };

    public static (List<PatternCase> Cases, List<FalseSignal> False, double NormalMonths) Score(ResidentOutcome r, IReadOnlyList<InjectedPattern> injected)
    {
        var cases = new List<PatternCase>();
        var excluded = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var ordered = r.Signals.OrderBy(s => s.RaisedAt).ToList();

        foreach (var p in r.Patterns.Where(p => p.Kind.IsAcute() && p.Placed && p.CountFrom is not null))
        {
            var t0 = p.CountFrom!.Value;
            var first = ordered.FirstOrDefault(s => s.Layer == SignalLayer.Acute && s.RaisedAt >= t0.AddMinutes(-10) && s.RaisedAt <= t0 + AcuteWindow);
            cases.Add(new PatternCase(p.Kind, first is not null, first is null ? null : first.RaisedAt - t0,
                first is not null && Expected(p.Kind).Contains(first.Kind), first?.Kind));
            var resolved = p.ResolvedAt is { } e && e > t0 + AcuteWindow ? e : t0 + AcuteWindow;
            excluded.Add((t0.AddHours(-1), resolved.AddHours(12)));
        }

        foreach (var p in injected.Where(p => p.Kind.IsDecline()))
        {
            var onset = LocalClock.StartOfDay(p.Day);
            if (onset >= r.End)
            {
                continue;
            }

            var until = onset + TimeSpan.FromDays(p.RampDays) + DeclineGrace;
            var first = ordered.FirstOrDefault(s => s.Layer == SignalLayer.Decline && s.RaisedAt >= onset && s.RaisedAt <= until);
            cases.Add(new PatternCase(p.Kind, first is not null, first is null ? null : first.RaisedAt - onset,
                first is not null && Expected(p.Kind).Contains(first.Kind), first?.Kind));
            excluded.Add((onset, r.End));
        }

        var falseSignals = new List<FalseSignal>();
        foreach (var s in ordered)
        {
            if (excluded.Any(x => s.RaisedAt >= x.From && s.RaisedAt <= x.To))
            {
                continue;
            }

            var explained = s.Layer == SignalLayer.DataHealth
                && r.Faults.Any(f => f.Start <= s.RaisedAt && f.End >= s.RaisedAt.AddDays(-3));
            falseSignals.Add(new FalseSignal(s.Kind, s.Layer, explained));
        }

        var total = (r.End - r.Start).TotalDays;
        var merged = Merge(excluded.Select(x => (Max(x.From, r.Start), Min(x.To, r.End))).Where(x => x.Item2 > x.Item1).ToList());
        var excludedDays = merged.Sum(x => (x.To - x.From).TotalDays);
        return (cases, falseSignals, Math.Max(0, total - excludedDays) / 30.44);
    }

    private static List<(DateTimeOffset From, DateTimeOffset To)> Merge(List<(DateTimeOffset From, DateTimeOffset To)> intervals)
    {
        var result = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var i in intervals.OrderBy(i => i.From))
        {
            if (result.Count > 0 && i.From <= result[^1].To)
            {
                result[^1] = (result[^1].From, Max(result[^1].To, i.To));
            }
            else
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
