using System.Globalization;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;

namespace HomeSignal.Dashboard.Trends;

/// <summary>Actogram: one cell per local day and hour with the motion count.</summary>
public sealed record Actogram(IReadOnlyList<string> Days, IReadOnlyList<double[]> Cells, double Max);

/// <summary>A weekly metric with the person's own normal band (P10–P90 of the earlier weeks).</summary>
public sealed record WeeklyTrend(string Metric, string Label, IReadOnlyList<string> Weeks, IReadOnlyList<double> Values, double? Low, double? High);

public sealed record Charts(Actogram Actogram, IReadOnlyList<WeeklyTrend> Weekly);

/// <summary>Shapes the hub's aggregates for the resident page's charts (drawn by Chart.js in the browser).</summary>
public sealed class ChartData(HubClient hub, LocalClock clock)
{
    public const int Weeks = 8;
    private const int BandWeeks = 6;

    public async Task<Charts> ForAsync(string residentId, CancellationToken ct = default)
    {
        // The actogram ends today; the weekly trends end yesterday, so a week in progress never looks like a drop.
        var actogramFirstDay = clock.Today.AddDays(-(Weeks * 7) + 1);
        var weeksFirstDay = clock.Today.AddDays(-(Weeks * 7));
        var from = clock.At(weeksFirstDay, TimeOnly.MinValue);
        var to = clock.UtcNow;
        var hours = await hub.AggregatesAsync(residentId, "hour", from, to, ct);
        var days = await hub.AggregatesAsync(residentId, "day", from, clock.At(clock.Today, TimeOnly.MinValue), ct);
        return new Charts(BuildActogram(hours, actogramFirstDay), BuildWeekly(days, weeksFirstDay));
    }

    internal Actogram BuildActogram(IReadOnlyList<HubAggregate> hours, DateOnly firstDay)
    {
        var dayCount = Weeks * 7;
        var labels = Enumerable.Range(0, dayCount).Select(i => firstDay.AddDays(i).ToString("d MMM", Nl)).ToList();
        var cells = new List<double[]>();
        foreach (var hour in hours)
        {
            var local = clock.ToLocal(hour.Start);
            var index = DateOnly.FromDateTime(local).DayNumber - firstDay.DayNumber;
            if (index is >= 0 and < Weeks * 7 && hour.Motion is > 0)
            {
                cells.Add([index, local.Hour, hour.Motion.Value]);
            }
        }

        return new Actogram(labels, cells, cells.Count == 0 ? 0 : cells.Max(c => c[2]));
    }

    internal IReadOnlyList<WeeklyTrend> BuildWeekly(IReadOnlyList<HubAggregate> days, DateOnly firstDay)
    {
        var metrics = new (string Key, string Label, Func<HubAggregate, double?> Value)[]
        {
            ("outings", "Keren naar buiten per week", d => d.Outings),
            ("hoursOut", "Uren buitenshuis per week", d => d.MinutesOut / 60.0),
            ("motion", "Beweging in huis per week", d => d.Motion),
            ("post", "Post opgehaald per week", d => d.MailboxCollections),
            ("night", "Beweging 's nachts per week", d => d.NightMotion),
        };
        var weekLabels = Enumerable.Range(0, Weeks).Select(w => "week van " + firstDay.AddDays(w * 7).ToString("d MMM", Nl)).ToList();
        var trends = new List<WeeklyTrend>();
        foreach (var (key, label, value) in metrics)
        {
            var sums = new double[Weeks];
            foreach (var day in days)
            {
                // Midday of the row's start decides its local date, whether the hub starts days at UTC or local midnight.
                var week = (DateOnly.FromDateTime(clock.ToLocal(day.Start.AddHours(12))).DayNumber - firstDay.DayNumber) / 7;
                if (week is >= 0 and < Weeks)
                {
                    sums[week] += value(day) ?? 0;
                }
            }

            var earlier = sums.Take(BandWeeks).Order().ToArray();
            trends.Add(new WeeklyTrend(key, label, weekLabels, [.. sums.Select(s => Math.Round(s, 1))],
                days.Count == 0 ? null : Math.Round(Percentile(earlier, 0.10), 1), days.Count == 0 ? null : Math.Round(Percentile(earlier, 0.90), 1)));
        }

        return trends;
    }

    /// <summary>Linear-interpolated percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private static readonly CultureInfo Nl = CultureInfo.GetCultureInfo("nl-NL");
}
