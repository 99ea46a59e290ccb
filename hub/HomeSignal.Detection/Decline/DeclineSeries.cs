using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Decline;

/// <summary>One resident's daily metrics as consecutive days with prefix sums, so any window mean is O(1). Days away,
/// in hospital, mostly offline, or settling in after a stay are not usable; a stay of several days also restarts the
/// windows (<see cref="ResetIndex"/>), so life after a hospital stay is compared with life after it.</summary>
public sealed class DeclineSeries
{
    private readonly double[][] _sum;
    private readonly int[][] _count;

    public DeclineSeries(IReadOnlyList<DailyFeatures> days, IReadOnlyList<ContextPeriod> context, DeclineOptions options)
    {
        Days = days;
        var n = days.Count;
        First = n == 0 ? default : days[0].Date;
        Usable = new bool[n];
        ResetIndex = new int[n];
        var lastAwayEnd = -1000;
        var awayRun = 0;
        var reset = 0;
        for (var i = 0; i < n; i++)
        {
            var d = days[i];
            var start = LocalClock.StartOfDay(d.Date);
            var end = LocalClock.StartOfDay(d.Date.AddDays(1));
            var away = d.Away || context.Any(c => c.MeansAway && c.Overlaps(start, end));
            if (away)
            {
                awayRun++;
                lastAwayEnd = i;
            }
            else
            {
                if (awayRun >= 5)
                {
                    reset = i + options.SettleDays;
                }

                awayRun = 0;
            }

            // A life event entered by staff (partner died, moved, discharged with new care) re-baselines from that day.
            if (context.Any(c => c.Kind == ContextKind.LifeEvent && c.From >= start && c.From < end))
            {
                reset = i;
            }

            ResetIndex[i] = Math.Min(reset, i);
            Usable[i] = !away && d.OfflineMinutes < 240 && i - lastAwayEnd > options.SettleDays / 2;
        }

        var metrics = DeclineMetrics.All;
        _sum = new double[metrics.Count][];
        _count = new int[metrics.Count][];
        foreach (var m in metrics)
        {
            var s = _sum[(int)m] = new double[n + 1];
            var c = _count[(int)m] = new int[n + 1];
            for (var i = 0; i < n; i++)
            {
                var v = DeclineMetrics.Value(m, days[i]);
                var ok = Usable[i] && !double.IsNaN(v);
                s[i + 1] = s[i] + (ok ? v : 0);
                c[i + 1] = c[i] + (ok ? 1 : 0);
            }
        }
    }

    public IReadOnlyList<DailyFeatures> Days { get; }

    public DateOnly First { get; }

    public bool[] Usable { get; }

    /// <summary>For each day, the first index a window may start at (after a long stay away plus settling in).</summary>
    public int[] ResetIndex { get; }

    public int IndexOf(DateOnly date) => date.DayNumber - First.DayNumber;

    /// <summary>Mean and usable-day count of a metric over days [from, to] (indexes, inclusive).</summary>
    public (double Mean, int Count) Window(DeclineMetric m, int from, int to)
    {
        from = Math.Max(0, from);
        to = Math.Min(Days.Count - 1, to);
        if (to < from)
        {
            return (double.NaN, 0);
        }

        var c = _count[(int)m][to + 1] - _count[(int)m][from];
        var s = _sum[(int)m][to + 1] - _sum[(int)m][from];
        return (c == 0 ? double.NaN : s / c, c);
    }

    public IEnumerable<double> Values(DeclineMetric m, int from, int to)
    {
        for (var i = Math.Max(0, from); i <= Math.Min(Days.Count - 1, to); i++)
        {
            var v = DeclineMetrics.Value(m, Days[i]);
            if (Usable[i] && !double.IsNaN(v))
            {
                yield return v;
            }
        }
    }
}
