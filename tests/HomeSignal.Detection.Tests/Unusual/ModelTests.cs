using HomeSignal.Detection.Features;
using HomeSignal.Detection.Nightly;
using HomeSignal.Detection.Signals;
using HomeSignal.Detection.Unusual;

namespace HomeSignal.Detection.Tests.Unusual;

public sealed class ModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "homesignal-models-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Ordinary days of one resident, with seeded variation and a motion profile over the day.</summary>
    private static List<DailyFeatures> History(int seed, int count, DateOnly first)
    {
        var rng = new Random(seed);
        var days = new List<DailyFeatures>();
        for (var i = 0; i < count; i++)
        {
            var d = new DailyFeatures
            {
                Date = first.AddDays(i),
                Outings = rng.Next(1, 4),
                MinutesOut = 100 + rng.Next(0, 100),
                FirstActivity = 420 + rng.Next(-30, 30),
                LastActivity = 1350 + rng.Next(-30, 30),
                RoomsVisited = 5,
                LongestGapHome = 40 + rng.Next(0, 30),
                NightVisits = rng.Next(0, 2),
                NightMotion = rng.Next(2, 8),
                DoorOpenings = rng.Next(2, 8),
                RetrievalDelay = 30 + rng.Next(0, 60),
            };
            for (var h = 7; h < 23; h++)
            {
                d.HourlyMotion[h] = 8 + rng.Next(0, 10);
            }

            d.MotionCount = d.HourlyMotion.Sum();
            d.ActiveHours = d.HourlyMotion.Count(c => c > 0);
            days.Add(d);
        }

        return days;
    }

    /// <summary>Days driven by two hidden habits (how active, how late), as real days are: features move together.</summary>
    private static List<DailyFeatures> CorrelatedHistory(int count, DateOnly first)
    {
        var rng = new Random(7);
        var days = new List<DailyFeatures>();
        for (var i = 0; i < count; i++)
        {
            double a = rng.NextDouble() * 2 - 1, b = rng.NextDouble() * 2 - 1;
            double Noise() => (rng.NextDouble() - 0.5) * 0.1;
            days.Add(new DailyFeatures
            {
                Date = first.AddDays(i),
                Outings = 2 + (int)Math.Round(a),
                MinutesOut = 150 + 60 * a + Noise() * 10,
                FirstActivity = 420 + 40 * b + Noise() * 10,
                LastActivity = 1350 + 40 * b + Noise() * 10,
                ActiveHours = 17 + (int)Math.Round(2 * a),
                MotionCount = (int)(250 + 60 * a),
                RoomsVisited = 5,
                LongestGapHome = 60 - 20 * a,
                NightVisits = 1,
                NightMotion = 5,
                DoorOpenings = 4 + (int)Math.Round(2 * a),
                RetrievalDelay = 45 + 20 * b,
            });
        }

        return days;
    }

    [Fact]
    public void The_unusual_day_model_scores_a_day_that_breaks_the_habits_above_ordinary_days_and_survives_save_and_load()
    {
        var days = CorrelatedHistory(150, new DateOnly(2025, 3, 1));
        var scaler = UnusualDayDetector.ScalerFor(days, days.Count);
        var rows = days.Select(d => scaler.Standardise(DayVector.Raw(d, double.NaN))).ToList();
        var model = UnusualDayModel.Train(rows, new UnusualDayOptions());

        // Out a lot yet hardly any time outside, up late yet in bed early, moving a lot in few hours.
        var odd = new DailyFeatures { Date = days[^1].Date.AddDays(1), Outings = 3, MinutesOut = 60, FirstActivity = 480, LastActivity = 1290, ActiveHours = 15, MotionCount = 330, RoomsVisited = 5, LongestGapHome = 90, NightVisits = 1, NightMotion = 5, DoorOpenings = 2, RetrievalDelay = 45 };
        var all = rows.Append(scaler.Standardise(DayVector.Raw(odd, double.NaN))).ToList();
        var scores = model.Score(all);
        var ordinary = scores.Take(rows.Count).OrderBy(x => x).ToList();
        Assert.True(scores[^1] > ordinary[(int)(ordinary.Count * 0.99)], $"odd {scores[^1]} vs P99 {ordinary[(int)(ordinary.Count * 0.99)]}");

        var path = Path.Combine(_dir, "pca.zip");
        model.Save(path);
        Assert.Equal(scores, UnusualDayModel.Load(path).Score(all));
    }

    [Fact]
    public void The_pca_residual_is_low_for_a_typical_day_high_for_a_strongly_atypical_one_and_the_same_for_the_same_seed()
    {
        var days = CorrelatedHistory(150, new DateOnly(2025, 3, 1));
        var scaler = UnusualDayDetector.ScalerFor(days, days.Count);
        var rows = days.Select(d => scaler.Standardise(DayVector.Raw(d, double.NaN))).ToList();
        var options = new UnusualDayOptions();

        // A day that follows the habits (active 0.6, early 0.4, every feature moving with them) and a day nobody lives:
        // no outing yet hours outside, up at noon yet active all evening, the post left for a day, restless night.
        var typical = new DailyFeatures { Date = days[^1].Date.AddDays(1), Outings = 3, MinutesOut = 186, FirstActivity = 404, LastActivity = 1334, ActiveHours = 18, MotionCount = 286, RoomsVisited = 5, LongestGapHome = 48, NightVisits = 1, NightMotion = 5, DoorOpenings = 5, RetrievalDelay = 37 };
        var atypical = new DailyFeatures { Date = days[^1].Date.AddDays(2), Outings = 0, MinutesOut = 400, FirstActivity = 720, LastActivity = 1420, ActiveHours = 10, MotionCount = 420, RoomsVisited = 5, LongestGapHome = 240, NightVisits = 3, NightMotion = 30, DoorOpenings = 12, RetrievalDelay = 600 };
        var probe = new[] { typical, atypical }.Select(d => scaler.Standardise(DayVector.Raw(d, double.NaN))).ToList();

        var first = UnusualDayModel.Train(rows, options, seed: 5);
        var ordinary = first.Score(rows).OrderBy(x => x).ToList();
        var scores = first.Score(probe);
        Assert.True(scores[0] <= ordinary[(int)(ordinary.Count * 0.9)], $"typical {scores[0]} vs P90 {ordinary[(int)(ordinary.Count * 0.9)]}");
        Assert.True(scores[1] > ordinary[^1], $"atypical {scores[1]} vs highest ordinary {ordinary[^1]}");

        // Seeded: retraining on the same days gives the same scores.
        Assert.Equal(scores, UnusualDayModel.Train(rows, options, seed: 5).Score(probe));
    }

    [Fact]
    public void An_unusual_day_signal_explains_itself_with_the_features_that_moved()
    {
        var days = History(2, 100, new DateOnly(2025, 3, 1));
        var odd = new DailyFeatures { Date = days[^1].Date.AddDays(1), Outings = 0, MinutesOut = 0, FirstActivity = 690, LastActivity = 1200, MotionCount = 40, ActiveHours = 6, RoomsVisited = 2, LongestGapHome = 300, NightVisits = 0, NightMotion = 3 };
        days.Add(odd);
        var scaler = UnusualDayDetector.ScalerFor(days, days.Count - 1);
        DateOnly? last = null;

        var signal = UnusualDayDetector.Decide("r-1", days, days.Count - 1, score: 10, Enumerable.Repeat(1f, 99).ToList(), scaler,
            new UnusualDayOptions(), HomeSignal.Detection.Labels.LabelAdjustments.None, ref last);

        Assert.NotNull(signal);
        Assert.Equal(SignalKind.UnusualDay, signal.Kind);
        Assert.Contains("normaal rond", signal.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(signal.Evidence);

        // A visitor day is not called unusual: the visit explains it.
        odd.Visitor = true;
        last = null;
        Assert.Null(UnusualDayDetector.Decide("r-1", days, days.Count - 1, 10, Enumerable.Repeat(1f, 99).ToList(), scaler,
            new UnusualDayOptions(), HomeSignal.Detection.Labels.LabelAdjustments.None, ref last));
    }

    [Fact]
    public void The_expected_activity_model_learns_across_residents_explains_and_survives_save_and_load()
    {
        var rows = new List<ExpectedActivityModel.HourRow>();
        for (var r = 0; r < 5; r++)
        {
            var days = History(10 + r, 60, new DateOnly(2025, 3, 1));
            for (var i = 30; i < 60; i++)
            {
                rows.AddRange(ExpectedActivityModel.RowsFor(days, i)!);
            }
        }

        var model = ExpectedActivityModel.Train(rows, new UnusualDayOptions());
        var sample = rows.Take(48).ToList();
        var predicted = model.Predict(sample);
        Assert.True(predicted[3] < predicted[12], "night hours should expect less motion than midday");

        var explained = model.Explain(sample);
        Assert.Equal(predicted.Length, explained.Length);
        Assert.All(explained, e => Assert.Equal(ExpectedActivityModel.DutchFeatureNames.Count, e.Contributions.Length));

        var path = Path.Combine(_dir, "fasttree.zip");
        model.Save(path);
        Assert.Equal(predicted, ExpectedActivityModel.Load(path).Predict(sample));
    }

    [Fact]
    public void The_nightly_pass_trains_and_stores_models_then_loads_them_until_retraining_is_due()
    {
        var residents = Enumerable.Range(0, 6).Select(r => new ResidentHistory
        {
            ResidentId = $"r-{r}",
            Days = History(100 + r, 90, new DateOnly(2025, 3, 1)),
        }).ToList();
        var date = new DateOnly(2025, 3, 1).AddDays(89);
        var store = new ModelStore(_dir);
        var nightly = new NightlyAnalysis(new DetectionOptions(), store);

        var first = nightly.Run(residents, date);
        Assert.True(first.ModelsTrained);
        Assert.True(File.Exists(Path.Combine(_dir, "unusual-day-pca.zip")));
        Assert.Equal(6, first.Residents.Count);
        Assert.All(first.Residents, r => Assert.True(r.Baseline.DaysLearned > 0));
        Assert.All(first.Residents, r => Assert.NotNull(r.UnusualScore));

        var second = new NightlyAnalysis(new DetectionOptions(), store).Run(residents, date.AddDays(1));
        Assert.False(second.ModelsTrained);

        var later = new NightlyAnalysis(new DetectionOptions(), store).Run(residents, date.AddDays(8));
        Assert.True(later.ModelsTrained);
    }
}
