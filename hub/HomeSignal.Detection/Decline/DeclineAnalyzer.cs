using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Decline;

/// <summary>One metric's seasonally adjusted comparison on a day.</summary>
public sealed record MetricShift(DeclineMetric Metric, double Recent, double Reference, double Expected, double Adjusted, bool Shifted, bool Strong)
{
    /// <summary>Relative change (ratios) or minutes (rising), signed so positive = worse.</summary>
    public double Severity { get; init; }

    /// <summary>The resident's own noise level of this comparison (same unit as <see cref="Severity"/>).</summary>
    public double Noise { get; init; }
}

/// <summary>Layer 3: slow decline. A metric shifts when its last 14 days differ from the 6 weeks before by more than the
/// season explains, in the worrying direction only. A kind is raised when its shift persists over two evaluations a week
/// apart and two metrics agree (or one is strong), or at once when post stays uncollected for several delivery days while
/// the resident is home.</summary>
public static class DeclineAnalyzer
{
    public static IReadOnlyList<MetricShift> Shifts(DeclineSeries s, int i, SeasonalReference season, DeclineOptions o, LabelAdjustments labels)
    {
        var result = new List<MetricShift>();
        if (i < 0 || i >= s.Days.Count)
        {
            return result;
        }

        var date = s.Days[i].Date;
        foreach (var m in DeclineMetrics.All)
        {
            if (SeasonalReference.Compare(s, m, i, o) is not { } c)
            {
                continue;
            }

            var expected = season.Expected(m, date);
            var (adjusted, severity) = Adjust(m, c.Change, expected);
            double needed, neededStrong;
            if (DeclineMetrics.IsAbsolute(m))
            {
                needed = o.RisingShiftMinutes * (1 + labels.DeclineStrictness * 4);
                neededStrong = o.StrongRisingShiftMinutes * (1 + labels.DeclineStrictness * 4);
            }
            else
            {
                var (shift, strongShift) = DeclineMetrics.IsMovement(m) ? (o.MovementRelativeShift, o.StrongMovementRelativeShift)
                    : DeclineMetrics.KindOf(m) == SignalKind.DeclineNights ? (o.NightRelativeShift, o.StrongNightRelativeShift)
                    : (o.RelativeShift, o.StrongRelativeShift);
                needed = shift + labels.DeclineStrictness;
                neededStrong = strongShift + labels.DeclineStrictness;
            }

            // The shift must also stand out from this resident's own ups and downs: the same comparison made on every
            // earlier day gives its noise level (shrunk towards the fixed threshold while the history is short).
            var score = Score(m, adjusted);
            var noise = Noise(s, m, i, season, o, Score(m, needed, fromSeverity: true) / o.NoiseZ);
            var shifted = severity >= needed && score >= o.NoiseZ * noise;
            var strong = severity >= neededStrong && score >= o.StrongNoiseZ * noise;
            result.Add(new MetricShift(m, c.Recent, c.Reference, expected, adjusted, shifted, strong) { Severity = severity, Noise = noise });
        }

        return result;
    }

    /// <summary>Seasonally adjusted change and its severity (positive = worse): a ratio for counts, minutes for rising.</summary>
    private static (double Adjusted, double Severity) Adjust(DeclineMetric m, double change, double expected)
    {
        if (DeclineMetrics.IsAbsolute(m))
        {
            var a = change - expected;
            return (a, DeclineMetrics.WorseWhenHigher(m) ? a : -a);
        }

        var adjusted = change / Math.Max(expected, 1e-6);
        return (adjusted, DeclineMetrics.WorseWhenHigher(m) ? 1 - 1 / adjusted : 1 - adjusted);
    }

    /// <summary>A symmetric score of an adjusted change, positive = worse: log ratio for counts, minutes for rising. With
    /// <paramref name="fromSeverity"/> the input is a severity (the fixed thresholds) instead.</summary>
    private static double Score(DeclineMetric m, double adjusted, bool fromSeverity = false)
    {
        if (DeclineMetrics.IsAbsolute(m))
        {
            return fromSeverity ? adjusted : (DeclineMetrics.WorseWhenHigher(m) ? adjusted : -adjusted);
        }

        if (fromSeverity)
        {
            return -Math.Log(Math.Max(1e-6, 1 - adjusted));
        }

        var log = Math.Log(Math.Max(adjusted, 1e-6));
        return DeclineMetrics.WorseWhenHigher(m) ? log : -log;
    }

    /// <summary>Score of a metric's comparison on day <paramref name="i"/> (NaN when there are too few days), cached per series.</summary>
    public static double ScoreOn(DeclineSeries s, DeclineMetric m, int i, SeasonalReference season, DeclineOptions o) =>
        s.CachedSeverity(m, i, season, () => SeasonalReference.Compare(s, m, i, o) is { } c
            ? Score(m, Adjust(m, c.Change, season.Expected(m, s.Days[i].Date)).Adjusted)
            : double.NaN);

    /// <summary>The resident's own noise level of a metric's comparison: the root mean square of its severity on earlier
    /// days (up to <see cref="DeclineOptions.NoiseHistoryDays"/> back, ending before the current windows), on the score scale, shrunk
    /// towards <paramref name="prior"/> with the weight of <see cref="DeclineOptions.NoisePriorDays"/> days.</summary>
    public static double Noise(DeclineSeries s, DeclineMetric m, int i, SeasonalReference season, DeclineOptions o, double prior)
    {
        double sum = 0;
        var n = 0;
        // Only comparisons that end before today's reference window starts: a decline under way must not raise its own noise.
        var to = i - o.RecentDays - o.GuardDays - o.ReferenceDays;
        for (var j = Math.Max(0, i - o.NoiseHistoryDays); j <= to; j += 2)
        {
            var v = ScoreOn(s, m, j, season, o);
            if (!double.IsNaN(v))
            {
                sum += v * v;
                n++;
            }
        }

        // Every other day is sampled: weigh each sample as two days against the prior.
        var w = 2.0 * n;
        return Math.Sqrt((sum * 2 + o.NoisePriorDays * prior * prior) / (w + o.NoisePriorDays));
    }

    /// <summary>Which decline kinds are flagged on day <paramref name="i"/> (before persistence).</summary>
    public static Dictionary<SignalKind, List<MetricShift>> Flagged(DeclineSeries s, int i, SeasonalReference season, DeclineOptions o, LabelAdjustments labels)
    {
        var flagged = new Dictionary<SignalKind, List<MetricShift>>();
        foreach (var group in Shifts(s, i, season, o, labels).Where(x => x.Shifted).GroupBy(x => DeclineMetrics.KindOf(x.Metric)))
        {
            var list = group.OrderByDescending(x => x.Severity).ToList();
            var metricsInGroup = DeclineMetrics.All.Count(m => DeclineMetrics.KindOf(m) == group.Key);
            if (list.Count >= 2 || list.Any(x => x.Strong) || (metricsInGroup == 1 && list.Count == 1))
            {
                flagged[group.Key] = list;
            }
        }

        return flagged;
    }

    /// <summary>The nightly decline pass for one resident on day index <paramref name="i"/>. <paramref name="lastRaised"/> holds the
    /// last raise per kind (updated here) for the cooldown.</summary>
    public static List<Signal> Evaluate(string residentId, DeclineSeries s, int i, SeasonalReference season, DeclineOptions o,
        LabelAdjustments labels, Dictionary<SignalKind, DateOnly> lastRaised)
    {
        var signals = new List<Signal>();
        if (i < 0 || i >= s.Days.Count || !s.Usable[i])
        {
            return signals;
        }

        var today = s.Days[i];
        var raisedAt = LocalClock.StartOfDay(today.Date.AddDays(1));
        bool Cooled(SignalKind k) => !lastRaised.TryGetValue(k, out var last) || today.Date.DayNumber - last.DayNumber >= o.CooldownDays;

        // Strong on its own: post left in the box for several delivery days while the resident was home.
        if (today.UncollectedDeliveryDays >= o.UncollectedDeliveryDays && Cooled(SignalKind.DeclinePost)
            && HomeThroughPendingPost(s, i))
        {
            lastRaised[SignalKind.DeclinePost] = today.Date;
            signals.Add(DeclineText.PostUncollected(residentId, s, i, raisedAt));
        }

        var now = Flagged(s, i, season, o, labels);
        if (now.Count == 0)
        {
            return signals;
        }

        var before = Flagged(s, i - o.PersistenceDays, season, o, labels);
        foreach (var (kind, shifts) in now)
        {
            if (!before.ContainsKey(kind) || !Cooled(kind))
            {
                continue;
            }

            lastRaised[kind] = today.Date;
            var trend = WeeklyTrend(s, shifts[0].Metric, i);
            signals.Add(DeclineText.Shift(residentId, s, i, kind, shifts, trend, raisedAt, o));
        }

        return signals;
    }

    /// <summary>Mann-Kendall over the last 8 weekly means of a metric (evidence, in the worrying direction = positive).</summary>
    public static double WeeklyTrend(DeclineSeries s, DeclineMetric m, int i)
    {
        var weeks = new List<double>(8);
        for (var w = 7; w >= 0; w--)
        {
            var (mean, count) = s.Window(m, i - w * 7 - 6, i - w * 7);
            if (count >= 3)
            {
                weeks.Add(mean);
            }
        }

        var (z, _) = Trend.MannKendall(weeks);
        return DeclineMetrics.WorseWhenHigher(m) ? z : -z;
    }

    private static bool HomeThroughPendingPost(DeclineSeries s, int i)
    {
        // Walk back over the days the post has been waiting: every one must be a usable day at home.
        for (var k = i; k >= 0 && k > i - 7; k--)
        {
            if (!s.Usable[k])
            {
                return false;
            }

            if (k < i && s.Days[k].UncollectedDeliveryDays == 0)
            {
                break;
            }
        }

        return true;
    }
}
