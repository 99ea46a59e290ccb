using System.Collections.Concurrent;
using System.Diagnostics;
using HomeSignal.Detection;
using HomeSignal.Detection.Decline;
using HomeSignal.Detection.Labels;
using HomeSignal.Detection.Nightly;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Unusual;

namespace HomeSignal.Evaluation.Evaluation;

/// <summary>All figures of one evaluation run.</summary>
public sealed record EvaluationResult(
    EvaluationOptions Options,
    int Residents,
    double NormalMonths,
    IReadOnlyList<PatternCase> Cases,
    IReadOnlyList<FalseSignal> FalseSignals,
    long Events,
    TimeSpan Elapsed);

/// <summary>Runs the evaluation: pass 1 streams every resident (in parallel) through the acute engine and collects daily
/// features; pass 2 runs the nightly layers (decline against the population's seasonal reference, unusual-day with the
/// ML.NET models) day by day; then signals are scored against the truth.</summary>
public static class Evaluator
{
    public static EvaluationResult Run(EvaluationOptions o, DetectionOptions detection, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        var members = Population.Build(o);
        log.WriteLine($"Simulating and replaying {members.Count} residents × {o.Years} year(s), seeds {string.Join(",", o.Seeds)} …");
        var outcomes = new ResidentOutcome[members.Count];
        var done = 0;
        Parallel.For(0, members.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            outcomes[i] = ResidentRun.Run(members[i], detection);
            var n = Interlocked.Increment(ref done);
            if (n % Math.Max(1, members.Count / 10) == 0)
            {
                log.WriteLine($"  pass 1: {n}/{members.Count} residents ({watch.Elapsed.TotalSeconds:0} s)");
            }
        });

        log.WriteLine($"  pass 2: nightly layers (decline, unusual-day) ({watch.Elapsed.TotalSeconds:0} s)");
        NightlyLayers(outcomes, detection);

        var cases = new ConcurrentBag<PatternCase>();
        var falseSignals = new ConcurrentBag<FalseSignal>();
        double months = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (c, f, m) = Scorer.Score(outcomes[i], members[i].Scenario.Patterns);
            if (outcomes[i].Trace.Count > 0)
            {
                TraceFalse(outcomes[i], log);
                foreach (var p in members[i].Scenario.Patterns.Where(p => p.Kind.ToString().StartsWith("Decline", StringComparison.Ordinal)))
                {
                    var s = new DeclineSeries(outcomes[i].Days, outcomes[i].Context, detection.Decline);
                    for (var k = 14; k <= 49; k += 7)
                    {
                        var idx = s.IndexOf(p.Day.AddDays(k));
                        var shifts = DeclineAnalyzer.Shifts(s, idx, SeasonalReference.Prior(detection.Decline), detection.Decline, LabelAdjustments.None);
                        log.WriteLine($"TRACE {outcomes[i].ResidentId} {p.Kind} +{k}d: " + string.Join(" ", shifts.Select(x => $"{x.Metric}={x.Recent:0.#}/{x.Reference:0.#} sev={x.Severity:0.00}{(x.Shifted ? "*" : "")}")));
                    }
                }
            }
            foreach (var x in c)
            {
                cases.Add(x);
            }

            foreach (var x in f)
            {
                falseSignals.Add(x);
            }

            months += m;
        }

        return new EvaluationResult(o, members.Count, months, [.. cases], [.. falseSignals], outcomes.Sum(x => x.Events), watch.Elapsed);
    }

    /// <summary>Diagnostics (HOMESIGNAL_EVAL_TRACE set): each acute or decline signal with the truth around it.</summary>
    private static void TraceFalse(ResidentOutcome r, TextWriter log)
    {
        foreach (var s in r.Signals.Where(s => s.Layer is SignalLayer.Acute or SignalLayer.Decline or SignalLayer.DataHealth).OrderBy(s => s.RaisedAt))
        {
            var date = HomeSignal.Detection.History.LocalClock.LocalDate(s.RaisedAt);
            var around = r.Trace.Where(t => t.Contains(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                || t.StartsWith("fault", StringComparison.Ordinal) && t.Contains(date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).Take(6);
            log.WriteLine($"TRACE {r.ResidentId} {HomeSignal.Detection.History.LocalClock.ToLocal(s.RaisedAt):yyyy-MM-dd HH:mm} {SignalNames.ApiName(s.Kind)} since {HomeSignal.Detection.History.LocalClock.ToLocal(s.EpisodeStart):MM-dd HH:mm} | {s.Reason} | {string.Join(" ; ", around)}");
        }

        foreach (var p in r.Patterns.Where(p => p.Placed))
        {
            log.WriteLine($"TRACE {r.ResidentId} pattern {p.Kind} at {p.CountFrom:u}: {p.Description}");
        }
    }

    /// <summary>The nightly pass replayed day by day for every resident: models trained once on the first weeks of the
    /// population (before any injected pattern), expected activity stored per day, then decline and unusual-day.</summary>
    private static void NightlyLayers(ResidentOutcome[] outcomes, DetectionOptions d)
    {
        var series = new DeclineSeries[outcomes.Length];
        Parallel.For(0, outcomes.Length, i => series[i] = new DeclineSeries(outcomes[i].Days, outcomes[i].Context, d.Decline));
        var first = outcomes.Where(x => x.Days.Count > 0).Min(x => x.Days[0].Date);
        var last = outcomes.Where(x => x.Days.Count > 0).Max(x => x.Days[^1].Date);
        var season = SeasonalReference.FromResidents(series, first, last, d.Decline);

        var training = outcomes.Select(x => new ResidentHistory
        {
            ResidentId = x.ResidentId,
            Days = x.Days.Take(60).ToList(),
            Context = x.Context,
        }).ToList();
        var models = NightlyAnalysis.Train(training, first.AddDays(60), d.Unusual);

        // Expected activity and unusual-day scores need the ML models; ML.NET transforms run one resident at a time.
        var scores = new float[outcomes.Length][];
        var scalers = new DayVector.Scaler[outcomes.Length][];
        for (var ri = 0; ri < outcomes.Length; ri++)
        {
            var days = outcomes[ri].Days;
            var rows = new List<ExpectedActivityModel.HourRow>(days.Count * 24);
            var which = new List<int>(days.Count);
            for (var i = 0; i < days.Count; i++)
            {
                if (ExpectedActivityModel.RowsFor(days, i) is { } r)
                {
                    rows.AddRange(r);
                    which.Add(i);
                }
            }

            var predicted = models.Expected.Predict(rows);
            for (var k = 0; k < which.Count; k++)
            {
                double sum = 0;
                for (var h = 0; h < 24; h++)
                {
                    sum += Math.Max(0, predicted[k * 24 + h]);
                }

                days[which[k]].ExpectedMotion = sum;
            }

            // Scalers are refreshed weekly (as a nightly retrain would), each day standardised with the one before it.
            scalers[ri] = new DayVector.Scaler[days.Count];
            var vectors = new List<float[]>(days.Count);
            DayVector.Scaler? scaler = null;
            for (var i = 0; i < days.Count; i++)
            {
                if (scaler is null || i % 7 == 0)
                {
                    scaler = UnusualDayDetector.ScalerFor(days, i);
                }

                scalers[ri][i] = scaler;
                vectors.Add(scaler.Standardise(DayVector.Raw(days[i], days[i].ExpectedMotion)));
            }

            scores[ri] = models.Unusual.Score(vectors);
        }

        Parallel.For(0, outcomes.Length, ri =>
        {
            var r = outcomes[ri];
            var lastRaised = new Dictionary<SignalKind, DateOnly>();
            DateOnly? lastUnusual = null;
            var past = new List<float>();
            for (var i = 0; i < r.Days.Count; i++)
            {
                r.Signals.AddRange(DeclineAnalyzer.Evaluate(r.ResidentId, series[ri], i, season, d.Decline, LabelAdjustments.None, lastRaised));
                var window = past.Count > 120 ? past.GetRange(past.Count - 120, 120) : past;
                if (UnusualDayDetector.Decide(r.ResidentId, r.Days, i, scores[ri][i], window, scalers[ri][i], d.Unusual,
                        LabelAdjustments.None, ref lastUnusual) is { } unusual)
                {
                    r.Signals.Add(unusual);
                }

                if (r.Days[i].IsNormalHomeDay)
                {
                    past.Add(scores[ri][i]);
                }
            }
        });
    }
}
