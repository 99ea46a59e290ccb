using HomeSignal.Detection.Signals;

namespace HomeSignal.Evaluation.Reporting;

/// <summary>The printed results: per pattern, false alarms per rule, and the gates.</summary>
public static class ConsoleTable
{
    public static void Write(Figures f, TextWriter w)
    {
        var r = f.Result;
        w.WriteLine();
        w.WriteLine($"Evaluation: {r.Residents} residents, {r.Options.Years} year(s) each = {r.Options.ResidentYears} resident-years, seeds {string.Join(",", r.Options.Seeds)}; " +
                    $"{r.Events:N0} events; normal life {r.NormalMonths:0} resident-months; {r.Elapsed.TotalSeconds:0} s");
        w.WriteLine();
        w.WriteLine($"{"Pattern",-30} {"n",5} {"found",7} {"delay median",13} {"delay P90",11} {"top reason right",17}");
        foreach (var row in f.Rows)
        {
            var decline = row.Kind.ToString().StartsWith("Decline", StringComparison.Ordinal);
            w.WriteLine($"{Figures.Name(row.Kind),-30} {row.Count,5} {row.DetectionRate,7:P0} {Figures.Delay(row.MedianDelay, decline),13} {Figures.Delay(row.P90Delay, decline),11} {row.TopReasonRight,17:P0}");
        }

        w.WriteLine();
        w.WriteLine("Signals on normal life, per resident-month:");
        w.WriteLine($"  acute (false alarms)   {f.FalseAcute:0.000}");
        w.WriteLine($"  decline (false)        {f.FalseDecline:0.000}");
        w.WriteLine($"  unusual-day            {f.FalseUnusual:0.000}");
        w.WriteLine($"  data health            {f.DataHealth:0.000}  ({f.DataHealthExplained:P0} during a real sensor or kit fault)");
        foreach (var (kind, rate) in f.FalsePerRule)
        {
            w.WriteLine($"    {SignalNames.ApiName(kind),-18} {rate:0.000}");
        }

        w.WriteLine();
        w.WriteLine("Gates:");
        foreach (var g in f.Gates)
        {
            w.WriteLine($"  [{(g.Passed ? "PASS" : "MISS")}] {g.Name,-52} target {g.Target,-6} reached {g.Reached,-10} ({g.Margin})");
        }
    }
}
