using System.Globalization;
using System.Text;
using HomeSignal.Detection.Signals;
using HomeSignal.Simulation.Patterns;

namespace HomeSignal.Evaluation.Reporting;

/// <summary>Writes the markdown report with two SVG plots next to it (detection delay distribution, signals on normal
/// life per rule). SVG is written by hand: no plotting package is needed.</summary>
public static class MarkdownReport
{
    public static void Write(Figures f, string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var stem = Path.GetFileNameWithoutExtension(full);
        var delaysSvg = stem + "-delays.svg";
        var falseSvg = stem + "-false-alarms.svg";
        File.WriteAllText(Path.Combine(dir, delaysSvg), DelaySvg(f));
        File.WriteAllText(Path.Combine(dir, falseSvg), FalseSvg(f));

        var r = f.Result;
        var md = new StringBuilder();
        md.AppendLine("# HomeSignal detection evaluation");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{r.Residents} simulated residents × {r.Options.Years} year(s) = **{r.Options.ResidentYears} resident-years**, seeds {string.Join(", ", r.Options.Seeds)}, " +
                                                    $"{r.Events:N0} kit events, {r.NormalMonths:0} resident-months of normal life, run time {r.Elapsed.TotalSeconds:0} s.");
        md.AppendLine("Faults (PIR drop-outs, dead and stuck sensors, kit outages, clock jumps) and ordinary-life confounders (holidays, hospital stays, visitors, day care; entered in the context calendar only as often as people really do) are on for everyone.");
        md.AppendLine();
        md.AppendLine(f.AllGatesPassed ? "**All gates pass.**" : "**Not all gates pass** — see the gates table for by how much.");
        md.AppendLine();
        md.AppendLine("## Gates");
        md.AppendLine();
        md.AppendLine("| gate | target | reached | result | margin |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var g in f.Gates)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {g.Name} | {g.Target} | {g.Reached} | {(g.Passed ? "pass" : "**missed**")} | {g.Margin} |");
        }

        if (f.DeclinesFoundWithin(14) is { } early)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"The decline gate counts a 4-week ramp as found in time when it is found within 14 days of reaching full effect (42 days after its first day). " +
                $"Found within 14 days of the first day, when the ramp is only halfway: {early:P1}; within 28 days: {f.DeclinesFoundWithin(28):P1}.");
        }

        md.AppendLine();
        md.AppendLine("## Per pattern");
        md.AppendLine();
        md.AppendLine("Delay: from the moment that counts (the fall, the door opening, the exit, the usual wake time; for declines the first day of the 4-week ramp) to the signal. Percentiles count a missed pattern as never found.");
        md.AppendLine();
        md.AppendLine("| pattern | n | found | delay median | delay P90 | top reason right |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in f.Rows)
        {
            var decline = row.Kind.IsDecline();
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Figures.Name(row.Kind)} | {row.Count} | {row.DetectionRate:P0} | {Figures.Delay(row.MedianDelay, decline)} | {Figures.Delay(row.P90Delay, decline)} | {row.TopReasonRight:P0} |");
        }

        md.AppendLine();
        md.AppendLine("## Signals on normal life (per resident-month)");
        md.AppendLine();
        md.AppendLine("| layer / rule | per resident-month |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| acute (false alarms) | {f.FalseAcute:0.000} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| decline (false) | {f.FalseDecline:0.000} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| unusual-day | {f.FalseUnusual:0.000} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| data health (kit-offline, sensor-stale; {f.DataHealthExplained:P0} during a real fault) | {f.DataHealth:0.000} |");
        foreach (var (kind, rate) in f.FalsePerRule)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| &nbsp;&nbsp;{SignalNames.ApiName(kind)} | {rate:0.000} |");
        }

        md.AppendLine();
        md.AppendLine("## Plots");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![Detection delay of acute patterns]({delaysSvg})");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![Signals on normal life per rule]({falseSvg})");
        md.AppendLine();
        md.AppendLine("## How to reproduce");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(CultureInfo.InvariantCulture, $"dotnet run -c Release --project hub/HomeSignal.Evaluation -- evaluate --residents {r.Options.Residents} --years {r.Options.Years} --seeds {string.Join(",", r.Options.Seeds)} --report {path}");
        md.AppendLine("```");
        File.WriteAllText(full, md.ToString());
    }

    private static string DelaySvg(Figures f)
    {
        // Histogram of acute detection delays in 15-minute bins up to 4 h, one colour per pattern.
        var kinds = PatternKinds.Acute;
        var colours = new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728" };
        const int bins = 16;
        var counts = new int[kinds.Count, bins + 1];
        foreach (var c in f.Result.Cases.Where(c => c.Kind.IsAcute() && c.Detected && c.Delay is not null))
        {
            var k = kinds.ToList().IndexOf(c.Kind);
            var b = Math.Min(bins, (int)(c.Delay!.Value.TotalMinutes / 15));
            counts[k, Math.Max(0, b)]++;
        }

        var max = 1;
        for (var b = 0; b <= bins; b++)
        {
            var total = 0;
            for (var k = 0; k < kinds.Count; k++)
            {
                total += counts[k, b];
            }

            max = Math.Max(max, total);
        }

        const double width = 720, height = 320, left = 50, bottom = 270, top = 30;
        var bar = (width - left - 20) / (bins + 1);
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine("<text x=\"50\" y=\"18\" font-size=\"13\">Detection delay of acute patterns (15-minute bins; last bin: 4 h and more)</text>");
        for (var b = 0; b <= bins; b++)
        {
            double y = bottom;
            for (var k = 0; k < kinds.Count; k++)
            {
                var h = (bottom - top) * counts[k, b] / max;
                y -= h;
                svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left + b * bar + 1:0.#}\" y=\"{y:0.#}\" width=\"{bar - 2:0.#}\" height=\"{h:0.#}\" fill=\"{colours[k]}\"/>");
            }

            if (b % 2 == 0)
            {
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + b * bar:0.#}\" y=\"{bottom + 14}\">{b * 15 / 60.0:0.#}h</text>");
            }
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{width - 20}\" y2=\"{bottom}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"5\" y=\"{top + 5}\">{max}</text><text x=\"5\" y=\"{bottom}\">0</text>");
        for (var k = 0; k < kinds.Count; k++)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left + k * 170}\" y=\"{bottom + 26}\" width=\"10\" height=\"10\" fill=\"{colours[k]}\"/><text x=\"{left + k * 170 + 14}\" y=\"{bottom + 35}\">{Figures.Name(kinds[k])}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string FalseSvg(Figures f)
    {
        var rules = f.FalsePerRule.ToList();
        const double width = 720, rowHeight = 22, left = 160, top = 40;
        var height = top + Math.Max(1, rules.Count) * rowHeight + 40;
        var max = Math.Max(0.5, rules.Count == 0 ? 0 : rules.Max(r => r.Value));
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine("<text x=\"10\" y=\"18\" font-size=\"13\">Signals on normal life per resident-month, per rule (dashed: acute budget 0.5)</text>");
        for (var i = 0; i < rules.Count; i++)
        {
            var (kind, rate) = rules[i];
            var w = (width - left - 80) * rate / max;
            var layer = SignalNames.LayerOf(kind);
            var colour = layer switch
            {
                SignalLayer.Acute => "#d62728",
                SignalLayer.Decline => "#9467bd",
                SignalLayer.UnusualDay => "#ff7f0e",
                _ => "#7f7f7f",
            };
            var y = top + i * rowHeight;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + 14}\">{SignalNames.ApiName(kind)} ({SignalNames.ApiName(layer)})</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{Math.Max(1, w):0.#}\" height=\"{rowHeight - 6}\" fill=\"{colour}\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + w + 6:0.#}\" y=\"{y + 14}\">{rate:0.000}</text>");
        }

        var budget = left + (width - left - 80) * 0.5 / max;
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{budget:0.#}\" y1=\"{top}\" x2=\"{budget:0.#}\" y2=\"{height - 30}\" stroke=\"black\" stroke-dasharray=\"4 3\"/>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
