using HomeSignal.Detection.Features;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Baselines;

/// <summary>A resident's learned thresholds and normal ranges, rebuilt nightly from daily features. Times are local minutes.</summary>
public sealed class ResidentBaseline
{
    /// <summary>Latest local minute by which rising is expected, per weekday (index = <see cref="DayOfWeek"/>).</summary>
    public double[] NotUpMinute { get; init; } = new double[7];

    /// <summary>Inactivity threshold (minutes) for a gap starting in each local hour.</summary>
    public double[] InactivityMinutes { get; init; } = new double[24];

    public double NightVisitsPerNight { get; init; }

    /// <summary>Normal range (P10, P90) of rising, for explanations.</summary>
    public (double P10, double P90) RisingRange { get; init; }

    /// <summary>Number of normal days that taught this baseline.</summary>
    public int DaysLearned { get; init; }

    public static ResidentBaseline Prior(BaselineOptions o, Intake? intake = null) => Build([], o, LabelAdjustments.None, intake);

    /// <param name="intake">The intake answers, used instead of the population priors where given.</param>
    public static ResidentBaseline Build(IReadOnlyList<DailyFeatures> history, BaselineOptions o, LabelAdjustments labels, Intake? intake = null)
    {
        intake ??= Intake.None;
        var notUpPrior = intake.NotUpPrior(o);
        var days = history.Where(d => d.IsNormalHomeDay).TakeLast(o.WindowDays).ToList();
        var n = days.Count;

        // Rising: current level (median of the last 14 days, so a seasonal drift is followed) plus a high quantile of the
        // residuals around a rolling 14-day median, plus a margin; per weekday with a shrunk weekday effect.
        var rising = days.Where(d => !double.IsNaN(d.FirstActivity)).ToList();
        var notUp = new double[7];
        (double, double) range = (double.NaN, double.NaN);
        if (rising.Count >= 3)
        {
            var values = rising.Select(d => d.FirstActivity).ToList();
            var residuals = new List<double>(values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                var lo = Math.Max(0, i - 13);
                residuals.Add(values[i] - Robust.Median(values.GetRange(lo, i - lo + 1)));
            }

            var level = Robust.Median(values.TakeLast(14).ToList());
            var spread = Math.Max(Robust.Quantile(residuals, o.NotUpQuantile), 30);
            range = (Robust.Quantile(values, 0.1), Robust.Quantile(values, 0.9));
            for (var wd = 0; wd < 7; wd++)
            {
                var own = rising.Select((d, i) => (d, r: residuals[i])).Where(x => (int)x.d.Weekday == wd).Select(x => x.r).ToList();
                var effect = own.Count == 0 ? 0 : Robust.Median(own) * own.Count / (own.Count + 4.0);
                var personal = level + Math.Max(0, effect) + spread + o.NotUpMarginMinutes;
                notUp[wd] = Robust.Shrink(personal, rising.Count, notUpPrior + o.NotUpMarginMinutes, o.PriorWeightDays)
                    + labels.NotUpExtraMinutes;
            }
        }
        else
        {
            Array.Fill(notUp, notUpPrior + o.NotUpMarginMinutes + labels.NotUpExtraMinutes);
        }

        var inactivity = new double[24];
        for (var h = 0; h < 24; h++)
        {
            var prior = h is >= 7 and < 22 ? o.PriorInactivityDayMinutes : o.PriorInactivityNightMinutes;
            var samples = new List<double>(days.Count);
            foreach (var d in days)
            {
                var m = Math.Max(d.HourlyMaxGap[h], Math.Max(d.HourlyMaxGap[(h + 23) % 24], d.HourlyMaxGap[(h + 1) % 24]));
                if (m > 0)
                {
                    samples.Add(m);
                }
            }

            var personal = samples.Count == 0
                ? prior
                : Math.Max(o.InactivityFloorMinutes, Robust.Quantile(samples, o.InactivityQuantile) * o.InactivityMultiplier + o.InactivityAddMinutes);
            inactivity[h] = Robust.Shrink(personal, samples.Count, Math.Max(prior, personal), o.PriorWeightDays)
                * labels.InactivityFactor(h);
        }

        var nights = Robust.Shrink(n == 0 ? double.NaN : days.Average(d => d.NightVisits), n, intake.NightVisitsPrior(o), o.PriorWeightDays);
        return new ResidentBaseline
        {
            NotUpMinute = notUp,
            InactivityMinutes = inactivity,
            NightVisitsPerNight = nights,
            RisingRange = range,
            DaysLearned = n,
        };
    }
}
