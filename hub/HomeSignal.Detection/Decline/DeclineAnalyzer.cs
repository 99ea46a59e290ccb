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
            double adjusted, severity;
            bool shifted, strong;
            if (DeclineMetrics.IsAbsolute(m))
            {
                adjusted = c.Change - expected;
                severity = DeclineMetrics.WorseWhenHigher(m) ? adjusted : -adjusted;
                shifted = severity >= o.RisingShiftMinutes * (1 + labels.DeclineStrictness * 4);
                strong = severity >= o.StrongRisingShiftMinutes * (1 + labels.DeclineStrictness * 4);
            }
            else
            {
                adjusted = c.Change / Math.Max(expected, 1e-6);
                var movement = DeclineMetrics.IsMovement(m);
                var needed = (movement ? o.MovementRelativeShift : o.RelativeShift) + labels.DeclineStrictness;
                var neededStrong = (movement ? o.StrongMovementRelativeShift : o.StrongRelativeShift) + labels.DeclineStrictness;
                if (DeclineMetrics.WorseWhenHigher(m))
                {
                    severity = 1 - 1 / adjusted;
                }
                else
                {
                    severity = 1 - adjusted;
                }

                shifted = severity >= needed;
                strong = severity >= neededStrong;
            }

            result.Add(new MetricShift(m, c.Recent, c.Reference, expected, adjusted, shifted, strong) { Severity = severity });
        }

        return result;
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
