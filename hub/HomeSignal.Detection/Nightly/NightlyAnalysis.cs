using System.Collections.Concurrent;
using HomeSignal.Detection.Baselines;
using HomeSignal.Detection.Decline;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Unusual;

namespace HomeSignal.Detection.Nightly;

/// <summary>One resident's input to the nightly pass: compact daily features (oldest first, ending with the day being
/// analysed), entered context, recorded outcomes, and the last raise per decline/unusual kind (kept by the caller).</summary>
public sealed class ResidentHistory
{
    public required string ResidentId { get; init; }

    public required IReadOnlyList<DailyFeatures> Days { get; init; }

    public IReadOnlyList<ContextPeriod> Context { get; init; } = [];

    public IReadOnlyList<Label> Labels { get; init; } = [];

    /// <summary>The intake answers (priors while the routine is learned); none when not recorded.</summary>
    public Intake? Intake { get; init; }

    /// <summary>Last raise per kind, for cooldowns; updated by the pass.</summary>
    public Dictionary<SignalKind, DateOnly> LastRaised { get; init; } = [];
}

public sealed record ResidentNightly(string ResidentId, ResidentBaseline Baseline, IReadOnlyList<Signal> Signals, string? LearningProgress, float? UnusualScore);

public sealed record NightlyResult(IReadOnlyList<ResidentNightly> Residents, bool ModelsTrained, DetectionModels Models);

/// <summary>The nightly pass over all residents: rebuilds each resident's baseline (acute thresholds), scores the day
/// with the unusual-day model, runs the slow-decline tests against a population seasonal reference, and (re)trains the
/// cross-resident models on schedule. Works from daily features only, in parallel across residents.</summary>
public sealed class NightlyAnalysis(DetectionOptions options, ModelStore? store = null)
{
    public NightlyResult Run(IReadOnlyList<ResidentHistory> residents, DateOnly date, DetectionModels? models = null)
    {
        models ??= store?.Load();
        var trained = false;
        if (models is null || date.DayNumber - models.TrainedOn.DayNumber >= options.Unusual.RetrainDays)
        {
            models = Train(residents, date, options.Unusual);
            store?.Save(models);
            trained = true;
        }

        var expectedModel = models.Expected;

        // Expected activity for the days not yet predicted (normally just the new day), in one batch.
        var pending = new List<(DailyFeatures Day, ExpectedActivityModel.HourRow[] Rows)>();
        foreach (var r in residents)
        {
            for (var i = Math.Max(0, r.Days.Count - 7); i < r.Days.Count; i++)
            {
                if (double.IsNaN(r.Days[i].ExpectedMotion) && ExpectedActivityModel.RowsFor(r.Days, i) is { } rows)
                {
                    pending.Add((r.Days[i], rows));
                }
            }
        }

        var predictions = expectedModel.Predict(pending.SelectMany(p => p.Rows).ToList());
        for (var k = 0; k < pending.Count; k++)
        {
            pending[k].Day.ExpectedMotion = predictions.AsSpan(k * 24, 24).ToArray().Sum(v => Math.Max(0, v));
        }

        // Standardise and score every resident's recent usable days in one batch.
        var scalers = new DayVector.Scaler[residents.Count];
        var rowsOf = new List<(int Resident, int Day)>();
        var vectors = new List<float[]>();
        for (var ri = 0; ri < residents.Count; ri++)
        {
            var days = residents[ri].Days;
            var last = days.Count - 1;
            scalers[ri] = UnusualDayDetector.ScalerFor(days, last);
            for (var i = Math.Max(0, last - 120); i <= last; i++)
            {
                if (days[i].IsNormalHomeDay || i == last)
                {
                    rowsOf.Add((ri, i));
                    vectors.Add(scalers[ri].Standardise(DayVector.Raw(days[i], days[i].ExpectedMotion)));
                }
            }
        }

        var scores = models.Unusual.Score(vectors);
        var scoresOf = new List<float>[residents.Count];
        var todayScore = new float?[residents.Count];
        for (var k = 0; k < rowsOf.Count; k++)
        {
            var (ri, i) = rowsOf[k];
            if (i == residents[ri].Days.Count - 1)
            {
                todayScore[ri] = scores[k];
            }
            else
            {
                (scoresOf[ri] ??= []).Add(scores[k]);
            }
        }

        var series = new DeclineSeries[residents.Count];
        Parallel.For(0, residents.Count, ri => series[ri] = new DeclineSeries(residents[ri].Days, residents[ri].Context, options.Decline));
        var season = SeasonalReference.FromResidents(series, date.AddDays(-options.Decline.PersistenceDays), date, options.Decline);

        var results = new ResidentNightly[residents.Count];
        Parallel.For(0, residents.Count, ri =>
        {
            var r = residents[ri];
            var labels = new LabelAdjustments(r.Labels);
            var baseline = ResidentBaseline.Build(r.Days, options.Baselines, labels, r.Intake);
            var signals = new List<Signal>();
            var i = r.Days.Count - 1;
            if (i >= 0 && r.Days[i].Date == date)
            {
                lock (r.LastRaised)
                {
                    signals.AddRange(DeclineAnalyzer.Evaluate(r.ResidentId, series[ri], i, season, options.Decline, labels, r.LastRaised));
                    DateOnly? lastUnusual = r.LastRaised.TryGetValue(SignalKind.UnusualDay, out var lu) ? lu : null;
                    if (todayScore[ri] is { } score && UnusualDayDetector.Decide(r.ResidentId, r.Days, i, score,
                            scoresOf[ri] ?? [], scalers[ri], options.Unusual, labels, ref lastUnusual) is { } unusual)
                    {
                        signals.Add(unusual);
                        r.LastRaised[SignalKind.UnusualDay] = lastUnusual!.Value;
                    }
                }
            }

            var learningDay = r.Days.Count == 0 ? 0 : date.DayNumber - r.Days[0].Date.DayNumber + 1;
            results[ri] = new ResidentNightly(r.ResidentId, baseline, signals,
                DutchText.LearningProgress(learningDay, options.Baselines.LearningDays), todayScore[ri]);
        });

        return new NightlyResult(results, trained, models);
    }

    /// <summary>Trains both cross-resident models from a bounded sample of residents' usable days.</summary>
    public static DetectionModels Train(IReadOnlyList<ResidentHistory> residents, DateOnly date, UnusualDayOptions o, int seed = 1)
    {
        var random = new Random(seed);
        var candidates = new List<(int Resident, int Day)>();
        for (var ri = 0; ri < residents.Count; ri++)
        {
            for (var i = 28; i < residents[ri].Days.Count; i++)
            {
                if (residents[ri].Days[i].IsNormalHomeDay)
                {
                    candidates.Add((ri, i));
                }
            }
        }

        var wantedDays = Math.Max(1, o.MaxTrainingRows / 24);
        var sample = candidates.Count <= wantedDays ? candidates : candidates.OrderBy(_ => random.Next()).Take(wantedDays).ToList();
        var hourRows = new ConcurrentBag<ExpectedActivityModel.HourRow>();
        foreach (var (ri, i) in sample)
        {
            if (ExpectedActivityModel.RowsFor(residents[ri].Days, i) is { } rows)
            {
                foreach (var row in rows)
                {
                    hourRows.Add(row);
                }
            }
        }

        if (hourRows.IsEmpty)
        {
            throw new InvalidOperationException("Too little history to train the expected-activity model: each resident needs at least five weeks of days.");
        }

        var expected = ExpectedActivityModel.Train(hourRows, o, seed);

        // Fill the expected motion of the sampled days so the PCA sees the same feature it will score.
        var pcaRows = new List<float[]>(sample.Count);
        var byResident = sample.GroupBy(s => s.Resident);
        foreach (var group in byResident)
        {
            var days = residents[group.Key].Days;
            var list = group.Select(g => g.Day).ToList();
            var rows = list.Select(i => ExpectedActivityModel.RowsFor(days, i)).ToList();
            var flat = rows.Where(r => r is not null).SelectMany(r => r!).ToList();
            var predicted = expected.Predict(flat);
            var k = 0;
            var scaler = UnusualDayDetector.ScalerFor(days, days.Count);
            for (var j = 0; j < list.Count; j++)
            {
                var day = days[list[j]];
                var expectedMotion = double.NaN;
                if (rows[j] is not null)
                {
                    expectedMotion = predicted.AsSpan(k * 24, 24).ToArray().Sum(v => Math.Max(0, v));
                    k++;
                }

                pcaRows.Add(scaler.Standardise(DayVector.Raw(day, double.IsNaN(day.ExpectedMotion) ? expectedMotion : day.ExpectedMotion)));
            }
        }

        var unusual = UnusualDayModel.Train(pcaRows, o, seed);
        return new DetectionModels(unusual, expected, date);
    }
}
