using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;

namespace HomeSignal.Detection.Decline;

/// <summary>One resident's daily metrics as consecutive days with prefix sums, so any window mean is O(1). Days away,
/// in hospital, mostly offline, or settling in after a stay are not usable. Windows count usable days, so a holiday is
/// stepped over rather than emptying the windows. A life event entered by staff restarts them (<see cref="ResetIndex"/>),
/// and so does an entered hospital stay when <see cref="DeclineOptions.ResetAfterHospital"/> is set.</summary>
public sealed class DeclineSeries
{
    private readonly double[][] _sum;
    private readonly int[][] _count;
    private readonly int[] _usable;

    public DeclineSeries(IReadOnlyList<DailyFeatures> days, IReadOnlyList<ContextPeriod> context, DeclineOptions options)
    {
        Days = days;
        var n = days.Count;
        First = n == 0 ? default : days[0].Date;
        Usable = new bool[n];
        ResetIndex = new int[n];
        var lastAwayEnd = -1000;
        var awayRun = 0;
        var hospitalRun = false;
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
                hospitalRun |= context.Any(c => c.Kind == ContextKind.Hospital && c.Overlaps(start, end));
            }
            else
            {
                // A holiday is only a gap. A hospital stay re-baselines only when configured: by default the weeks after
                // it are compared with life before it, as a slow decline after discharge is worth a call.
                if (awayRun >= 5 && hospitalRun && options.ResetAfterHospital)
                {
                    reset = i + options.SettleDays;
                }

                awayRun = 0;
                hospitalRun = false;
            }

            // A life event entered by staff (partner died, moved, discharged with new care) re-baselines from that day.
            if (context.Any(c => c.Kind == ContextKind.LifeEvent && c.From >= start && c.From < end))
            {
                reset = i;
            }

            ResetIndex[i] = Math.Min(reset, i);
            Usable[i] = !away && d.OfflineMinutes < 240 && i - lastAwayEnd > options.SettleDays / 2;
        }

        _usable = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            _usable[i + 1] = _usable[i] + (Usable[i] ? 1 : 0);
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

    /// <summary>Usable days in [from, to] (indexes, inclusive).</summary>
    public int UsableDays(int from, int to)
    {
        from = Math.Max(0, from);
        to = Math.Min(Days.Count - 1, to);
        return to < from ? 0 : _usable[to + 1] - _usable[from];
    }

    /// <summary>The start of the window ending at <paramref name="to"/> that holds <paramref name="usableDays"/> usable days,
    /// reaching back at most <paramref name="maxSpan"/> calendar days (and not before <paramref name="floor"/>).</summary>
    public int WindowStart(int to, int usableDays, int maxSpan, int floor = 0)
    {
        var lowest = Math.Max(Math.Max(0, floor), to - maxSpan + 1);
        if (to < lowest)
        {
            return lowest;
        }

        // _usable is non-decreasing: find the largest start a with _usable[to + 1] - _usable[a] ≥ usableDays.
        var target = _usable[to + 1] - usableDays;
        if (target < _usable[lowest])
        {
            return lowest;
        }

        int lo = lowest, hi = to;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_usable[mid] <= target)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    private double[][]? _severity;
    private object? _severitySeason;

    /// <summary>Severity of a comparison per metric and day, computed once per seasonal reference (the noise level
    /// revisits every earlier day each night).</summary>
    internal double CachedSeverity(DeclineMetric m, int i, object season, Func<double> compute)
    {
        if (!ReferenceEquals(_severitySeason, season) || _severity is null)
        {
            _severity = new double[DeclineMetrics.All.Count][];
            _severitySeason = season;
        }

        var row = _severity[(int)m] ??= Enumerable.Repeat(double.PositiveInfinity, Days.Count).ToArray();
        if (double.IsPositiveInfinity(row[i]))
        {
            row[i] = compute();
        }

        return row[i];
    }

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
