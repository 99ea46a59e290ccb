using HomeSignal.Detection.Statistics;

namespace HomeSignal.Detection.Decline;

/// <summary>What a recent-versus-reference comparison is expected to show on a date for someone whose life did not
/// change: winter alone lowers outings. From the population in the same nightly run (median across residents, robust to
/// the few who really decline), or from the calibrated daylight prior when the run has too few residents.</summary>
public sealed class SeasonalReference
{
    private readonly Dictionary<(DateOnly, DeclineMetric), double> _population = [];
    private readonly DeclineOptions _options;

    private SeasonalReference(DeclineOptions options) => _options = options;

    /// <summary>How many calendar days beyond its length a window may reach back to step over days away.</summary>
    private const int MaxGapDays = 28;

    public bool FromPopulation => _population.Count > 0;

    public static SeasonalReference Prior(DeclineOptions options) => new(options);

    /// <summary>Population medians of each metric's comparison for every date in [from, to].</summary>
    public static SeasonalReference FromResidents(IReadOnlyList<DeclineSeries> residents, DateOnly from, DateOnly to, DeclineOptions options)
    {
        var reference = new SeasonalReference(options);
        if (residents.Count < options.MinPopulationForSeason)
        {
            return reference;
        }

        var buffer = new List<double>(residents.Count);
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            foreach (var m in DeclineMetrics.All)
            {
                buffer.Clear();
                foreach (var r in residents)
                {
                    if (Compare(r, m, r.IndexOf(date), options, respectReset: false) is { } c)
                    {
                        buffer.Add(c.Change);
                    }
                }

                if (buffer.Count >= options.MinPopulationForSeason)
                {
                    reference._population[(date, m)] = Robust.Median(buffer);
                }
            }
        }

        return reference;
    }

    /// <summary>Expected change: a ratio (recent/reference) for most metrics, minutes for rising.</summary>
    public double Expected(DeclineMetric m, DateOnly date)
    {
        if (_population.TryGetValue((date, m), out var v))
        {
            return v;
        }

        double recent = 0, reference = 0;
        for (var i = 0; i < _options.RecentDays; i++)
        {
            recent += DeclineMetrics.SeasonalPrior(m, date.AddDays(-i));
        }

        for (var i = _options.RecentDays; i < _options.RecentDays + _options.ReferenceDays; i++)
        {
            reference += DeclineMetrics.SeasonalPrior(m, date.AddDays(-i));
        }

        recent /= _options.RecentDays;
        reference /= _options.ReferenceDays;
        return DeclineMetrics.IsAbsolute(m) ? recent - reference : recent / reference;
    }

    /// <summary>The windows compared on day <paramref name="i"/>: recent [recentFrom, i] and reference [refFrom, refTo].</summary>
    public static (int RecentFrom, int RefFrom, int RefTo) Windows(DeclineSeries s, int i, DeclineOptions o, bool respectReset = true)
    {
        // Windows count usable days (a holiday is stepped over), reaching back at most four extra weeks.
        var floor = respectReset ? s.ResetIndex[i] : 0;
        var recentFrom = s.WindowStart(i, o.RecentDays, o.RecentDays + MaxGapDays, floor);

        // A guard band between the windows: a slow ramp would otherwise already lift the reference it is compared with.
        // While the history is still short the band is dropped rather than leaving the trend without a reference.
        if (o.GuardDays > 0)
        {
            var refTo = s.WindowStart(recentFrom - 1, o.GuardDays, o.GuardDays + MaxGapDays, floor) - 1;
            var refFrom = s.WindowStart(refTo, o.ReferenceDays, o.ReferenceDays + MaxGapDays, floor);
            if (s.UsableDays(refFrom, refTo) >= o.MinReferenceDays)
            {
                return (recentFrom, refFrom, refTo);
            }
        }

        return (recentFrom, s.WindowStart(recentFrom - 1, o.ReferenceDays, o.ReferenceDays + MaxGapDays, floor), recentFrom - 1);
    }

    /// <summary>The raw comparison for one resident on the day with index <paramref name="i"/>: recent window mean against
    /// the reference window before it; null without enough usable days.</summary>
    public static (double Change, double Recent, double Reference, int RecentCount, int ReferenceCount)? Compare(
        DeclineSeries s, DeclineMetric m, int i, DeclineOptions o, bool respectReset = true)
    {
        if (i < 0 || i >= s.Days.Count)
        {
            return null;
        }

        var (recentFrom, refFrom, refTo) = Windows(s, i, o, respectReset);
        var (recent, rc) = s.Window(m, recentFrom, i);
        var (reference, fc) = s.Window(m, refFrom, refTo);
        if (rc < o.MinRecentDays || fc < o.MinReferenceDays)
        {
            return null;
        }

        if (DeclineMetrics.IsAbsolute(m))
        {
            return (recent - reference, recent, reference, rc, fc);
        }

        // Counts near zero: a half-event floor keeps the ratio finite and honest.
        return ((recent + 0.5) / (reference + 0.5), recent, reference, rc, fc);
    }
}
