using HomeSignal.Evaluation.Evaluation;
using HomeSignal.Detection.Signals;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Evaluation.Reporting;

/// <summary>One pattern's row of the results table.</summary>
public sealed record PatternRow(PatternKind Kind, int Count, double DetectionRate, TimeSpan? MedianDelay, TimeSpan? P90Delay, double TopReasonRight);

/// <summary>A gate from detection.md with the figure reached and whether it passed.</summary>
public sealed record Gate(string Name, string Target, string Reached, bool Passed, string Margin);

/// <summary>The figures computed from an evaluation result (shared by the console table and the markdown report).</summary>
public sealed class Figures
{
    public Figures(EvaluationResult r)
    {
        Result = r;
        Rows = r.Cases.GroupBy(c => c.Kind).OrderBy(g => g.Key).Select(g =>
        {
            var list = g.ToList();
            var detected = list.Where(c => c.Detected).ToList();
            return new PatternRow(g.Key, list.Count, (double)detected.Count / list.Count,
                Percentile(list, 0.5), Percentile(list, 0.9),
                detected.Count == 0 ? 0 : (double)detected.Count(c => c.TopReasonRight) / detected.Count);
        }).ToList();
        FalsePerRule = r.FalseSignals.GroupBy(f => f.Kind).OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Count() / Math.Max(1e-9, r.NormalMonths));
        FalseAcute = Rate(SignalLayer.Acute);
        FalseDecline = Rate(SignalLayer.Decline);
        FalseUnusual = Rate(SignalLayer.UnusualDay);
        DataHealth = Rate(SignalLayer.DataHealth);
        DataHealthExplained = !r.FalseSignals.Any(f => f.Layer == SignalLayer.DataHealth) ? 1
            : (double)r.FalseSignals.Count(f => f.Layer == SignalLayer.DataHealth && f.ExplainedByFault) / r.FalseSignals.Count(f => f.Layer == SignalLayer.DataHealth);
        Gates = BuildGates();
    }

    public EvaluationResult Result { get; }

    public IReadOnlyList<PatternRow> Rows { get; }

    public IReadOnlyDictionary<SignalKind, double> FalsePerRule { get; }

    public double FalseAcute { get; }

    public double FalseDecline { get; }

    public double FalseUnusual { get; }

    public double DataHealth { get; }

    public double DataHealthExplained { get; }

    public IReadOnlyList<Gate> Gates { get; }

    public bool AllGatesPassed => Gates.All(g => g.Passed);

    public static string Name(PatternKind k) => k switch
    {
        PatternKind.Fall => "Fall (daytime no activity)",
        PatternKind.DoorOpenAtNight => "Door open at night",
        PatternKind.NightExitWithoutReturn => "Night exit without return",
        PatternKind.NotUpInMorning => "Not up in the morning",
        PatternKind.DeclineOutings => "Decline: outings (4 wk)",
        PatternKind.DeclinePost => "Decline: post (4 wk)",
        PatternKind.DeclineMovement => "Decline: movement (4 wk)",
        PatternKind.DeclineRising => "Decline: rising (4 wk)",
        _ => "Decline: nights (4 wk)",
    };

    public static string Delay(TimeSpan? d, bool decline)
    {
        if (d is not { } v)
        {
            return "—";
        }

        if (v == TimeSpan.MaxValue)
        {
            return "not found";
        }

        return decline ? $"{v.TotalDays:0.0} d" : v.TotalHours >= 1 ? $"{v.TotalHours:0.00} h" : $"{v.TotalMinutes:0} min";
    }

    private double Rate(SignalLayer layer) =>
        Result.FalseSignals.Count(f => f.Layer == layer) / Math.Max(1e-9, Result.NormalMonths);

    /// <summary>Delay percentile over all cases, undetected counted as infinitely late (so a miss can only hurt).</summary>
    private static TimeSpan? Percentile(List<PatternCase> cases, double q)
    {
        if (cases.Count == 0)
        {
            return null;
        }

        var delays = cases.Select(c => c.Detected && c.Delay is { } d ? d : TimeSpan.MaxValue).OrderBy(d => d).ToList();
        var index = (int)Math.Ceiling(q * delays.Count) - 1;
        return delays[Math.Clamp(index, 0, delays.Count - 1)];
    }

    /// <summary>Share of 4-week declines found within <paramref name="days"/> days of their first day (null without declines).</summary>
    public double? DeclinesFoundWithin(int days)
    {
        var declines = Result.Cases.Where(c => c.Kind.IsDecline()).ToList();
        return declines.Count == 0 ? null : (double)declines.Count(c => c.Detected && c.Delay <= TimeSpan.FromDays(days)) / declines.Count;
    }

    private List<Gate> BuildGates()
    {
        var gates = new List<Gate>();
        var falls = Rows.FirstOrDefault(r => r.Kind == PatternKind.Fall);
        if (falls is not null)
        {
            var med = falls.MedianDelay ?? TimeSpan.MaxValue;
            var p90 = falls.P90Delay ?? TimeSpan.MaxValue;
            gates.Add(new Gate("Daytime no activity, median delay", "≤ 2 h", Delay(med, false), med <= TimeSpan.FromHours(2),
                Margin(med.TotalHours, 2, "h")));
            gates.Add(new Gate("Daytime no activity, P90 delay", "≤ 3 h", Delay(p90, false), p90 <= TimeSpan.FromHours(3),
                Margin(p90.TotalHours, 3, "h")));
        }

        var declines = Result.Cases.Where(c => c.Kind.IsDecline()).ToList();
        if (declines.Count > 0)
        {
            var inTime = declines.Count(c => c.Detected && c.Delay <= TimeSpan.FromDays(28 + 14));
            var share = (double)inTime / declines.Count;
            gates.Add(new Gate("4-week declines found within 14 days of full effect", "≥ 90%", $"{share:P1}", share >= 0.9,
                share >= 0.9 ? $"{(share - 0.9) * 100:0.0} points to spare" : $"short by {(0.9 - share) * 100:0.0} points"));
        }

        gates.Add(new Gate("False acute alarms per resident-month", "≤ 0.5", $"{FalseAcute:0.000}", FalseAcute <= 0.5, Margin(FalseAcute, 0.5, "")));
        gates.Add(new Gate("False decline signals per resident-month", "≤ 0.1", $"{FalseDecline:0.000}", FalseDecline <= 0.1, Margin(FalseDecline, 0.1, "")));
        var detected = Result.Cases.Where(c => c.Detected).ToList();
        var right = detected.Count == 0 ? 0 : (double)detected.Count(c => c.TopReasonRight) / detected.Count;
        gates.Add(new Gate("Top reason matches the injected cause", "≥ 90%", $"{right:P1}", right >= 0.9,
            right >= 0.9 ? $"{(right - 0.9) * 100:0.0} points to spare" : $"short by {(0.9 - right) * 100:0.0} points"));
        return gates;
    }

    private static string Margin(double value, double limit, string unit)
    {
        if (double.IsInfinity(value) || value > 1e6)
        {
            return "not reached";
        }

        return value <= limit ? $"{limit - value:0.###}{unit} to spare" : $"over by {value - limit:0.###}{unit}";
    }
}
