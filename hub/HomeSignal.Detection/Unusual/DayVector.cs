using HomeSignal.Detection.Features;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Unusual;

/// <summary>The resident-day feature vector of layer 2, and its per-resident robust standardisation (median and IQR
/// with a spread floor per feature, so a feature that never varies cannot produce huge scores).</summary>
public static class DayVector
{
    public const int Length = 13;

    public static IReadOnlyList<string> DutchNames { get; } =
    [
        "keer naar buiten", "minuten buitenshuis", "tijd van opstaan", "laatste activiteit", "uren met beweging",
        "bewegingen in huis", "ruimtes gebruikt", "langste stilte overdag", "keer 's nachts uit bed", "nachtelijke bewegingen",
        "keer voordeur open", "minuten tot de post is opgehaald", "beweging t.o.v. verwachting",
    ];

    /// <summary>+1 when higher is worrying, −1 when lower is, 0 when neither.</summary>
    public static IReadOnlyList<int> Worry { get; } = [-1, -1, +1, 0, -1, -1, -1, +1, +1, +1, 0, +1, -1];

    private static readonly double[] SpreadFloor = [0.7, 30, 25, 40, 1.5, 15, 0.7, 30, 0.7, 2, 1, 45, 0.15];

    /// <summary>Raw values; NaN where not observed (filled with the personal median when standardising).</summary>
    public static double[] Raw(DailyFeatures d, double expectedMotion) =>
    [
        d.Outings, d.MinutesOut, d.FirstActivity, d.LastActivity, d.ActiveHours, d.MotionCount, d.RoomsVisited,
        d.LongestGapHome, d.NightVisits, d.NightMotion, d.DoorOpenings, d.RetrievalDelay,
        expectedMotion > 0 ? Math.Log((d.MotionCount + 5) / (expectedMotion + 5)) : 0,
    ];

    /// <summary>Per-resident medians and scales from their usable history.</summary>
    public sealed class Scaler
    {
        private readonly double[] _median = new double[Length];
        private readonly double[] _scale = new double[Length];

        public Scaler(IReadOnlyList<double[]> history)
        {
            for (var f = 0; f < Length; f++)
            {
                var values = history.Select(r => r[f]).Where(v => !double.IsNaN(v)).ToList();
                _median[f] = values.Count == 0 ? 0 : Robust.Median(values);
                var iqr = values.Count < 4 ? 0 : Robust.Quantile(values, 0.75) - Robust.Quantile(values, 0.25);
                _scale[f] = Math.Max(iqr / 1.349, SpreadFloor[f]);
            }
        }

        public float[] Standardise(double[] raw)
        {
            var z = new float[Length];
            for (var f = 0; f < Length; f++)
            {
                var v = double.IsNaN(raw[f]) ? _median[f] : raw[f];
                z[f] = (float)Math.Clamp((v - _median[f]) / _scale[f], -8, 8);
            }

            return z;
        }

        public double Median(int feature) => _median[feature];
    }
}
