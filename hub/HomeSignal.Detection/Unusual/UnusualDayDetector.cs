using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Unusual;

/// <summary>Turns PCA scores into (rare) unusual-day signals: only on a normal day at home without visitors, only above
/// the resident's own high score quantile, only when the most deviating feature deviates in a worrying direction, and at
/// most once per cooldown. Explained by the features that deviate most from the person's own median.</summary>
public static class UnusualDayDetector
{
    /// <summary>Standardised vectors of a resident's days (NaN-free), with a scaler learned from the usable days before
    /// <paramref name="until"/> (exclusive).</summary>
    public static DayVector.Scaler ScalerFor(IReadOnlyList<DailyFeatures> days, int until, int window = 120)
    {
        var rows = new List<double[]>(window);
        for (var i = Math.Max(0, until - window); i < until; i++)
        {
            if (days[i].IsNormalHomeDay)
            {
                rows.Add(DayVector.Raw(days[i], days[i].ExpectedMotion));
            }
        }

        return new DayVector.Scaler(rows);
    }

    public static Signal? Decide(string residentId, IReadOnlyList<DailyFeatures> days, int i, float score, IReadOnlyList<float> ownPastScores,
        DayVector.Scaler scaler, UnusualDayOptions o, LabelAdjustments labels, ref DateOnly? lastRaised)
    {
        var day = days[i];
        if (!day.IsNormalHomeDay || day.Visitor || ownPastScores.Count < o.MinDays)
        {
            return null;
        }

        if (lastRaised is { } last && day.Date.DayNumber - last.DayNumber < o.CooldownDays)
        {
            return null;
        }

        var sorted = ownPastScores.Select(s => (double)s).ToArray();
        Array.Sort(sorted);
        var threshold = Robust.QuantileSorted(sorted, o.ScoreQuantile) * o.ScoreFactor * labels.UnusualFactor;
        if (score <= threshold)
        {
            return null;
        }

        var raw = DayVector.Raw(day, day.ExpectedMotion);
        var z = scaler.Standardise(raw);
        var ranked = Enumerable.Range(0, DayVector.Length)
            .Where(f => DayVector.Worry[f] != 0)
            .Select(f => (Feature: f, Worry: z[f] * DayVector.Worry[f]))
            .OrderByDescending(x => x.Worry)
            .ToList();
        if (ranked[0].Worry < o.MinTopScore)
        {
            return null;
        }

        lastRaised = day.Date;
        var top = ranked.Where(x => x.Worry >= 2).Take(3).ToList();
        var described = top.Select(x => Describe(x.Feature, raw[x.Feature], scaler.Median(x.Feature))).ToList();
        var start = LocalClock.StartOfDay(day.Date);
        return new Signal
        {
            ResidentId = residentId,
            Kind = SignalKind.UnusualDay,
            Severity = SignalSeverity.Today,
            Layer = SignalLayer.UnusualDay,
            RaisedAt = LocalClock.StartOfDay(day.Date.AddDays(1)),
            EpisodeStart = start,
            Title = "Ongewone dag",
            Reason = $"{DutchText.Date(day.Date)} verliep anders dan gewoonlijk: {string.Join("; ", described)}.",
            TodayValue = described[0],
            NormalRange = $"afwijkingsscore {DutchText.Number(score, 2)}, normaal onder {DutchText.Number(threshold, 2)}",
            Since = start,
            Sensors = ["bewegingssensoren", "voordeur", "brievenbus"],
            Question = "Hoe gaat het met u? Hoe was uw dag gisteren?",
            Evidence = [.. ranked.Take(5).Select(x => $"{DayVector.DutchNames[x.Feature]}: {DutchText.Number(z[x.Feature])} × de gewone spreiding")],
        };
    }

    private static string Describe(int feature, double value, double median)
    {
        var name = DayVector.DutchNames[feature];
        return feature switch
        {
            2 or 3 => $"{name} {DutchText.MinuteOfDay(value)} (normaal rond {DutchText.MinuteOfDay(median)})",
            12 => $"{name} {DutchText.Number(Math.Exp(value) * 100, 0)}% (normaal rond {DutchText.Number(Math.Exp(median) * 100, 0)}%)",
            _ => $"{name} {DutchText.Number(value, value >= 20 ? 0 : 1)} (normaal rond {DutchText.Number(median, median >= 20 ? 0 : 1)})",
        };
    }
}
