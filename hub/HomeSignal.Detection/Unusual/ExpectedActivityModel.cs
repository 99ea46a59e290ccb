using HomeSignal.Detection.Features;
using HomeSignal.Detection.History;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace HomeSignal.Detection.Unusual;

/// <summary>FastTree regression of expected motion per local hour, trained across residents from hour of day, weekday,
/// daylight and the resident's own lagged means. One model serves everyone: it gives a new resident a sensible
/// expectation (cold start) and carries the seasonal effect of daylight. Feature contributions explain a prediction.</summary>
public sealed class ExpectedActivityModel
{
    public static IReadOnlyList<string> DutchFeatureNames { get; } =
        ["uur van de dag", "dag van de week", "daglicht", "eigen gemiddelde dit uur", "eigen gemiddelde per dag"];

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;

    private ExpectedActivityModel(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
    }

    public sealed class HourRow
    {
        public float HourOfDay { get; set; }

        public float DayOfWeek { get; set; }

        public float Daylight { get; set; }

        public float OwnHourMean { get; set; }

        public float OwnDayMean { get; set; }

        public float Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    private sealed class Explained
    {
        public float Score { get; set; }

        [VectorType(5)]
        public float[] FeatureContributions { get; set; } = [];
    }

    /// <summary>Rows for one resident-day from the 28 days before it (lagged means); null without enough history.</summary>
    public static HourRow[]? RowsFor(IReadOnlyList<DailyFeatures> history, int index, int lagDays = 28)
    {
        var from = Math.Max(0, index - lagDays);
        var usable = new List<DailyFeatures>(lagDays);
        for (var i = from; i < index; i++)
        {
            if (history[i].IsNormalHomeDay)
            {
                usable.Add(history[i]);
            }
        }

        if (usable.Count < 7)
        {
            return null;
        }

        var day = history[index];
        var dayMean = (float)usable.Average(d => d.MotionCount);
        var daylight = (float)LocalClock.DaylightHours(day.Date);
        var rows = new HourRow[24];
        for (var h = 0; h < 24; h++)
        {
            rows[h] = new HourRow
            {
                HourOfDay = h,
                DayOfWeek = (float)day.Weekday,
                Daylight = daylight,
                OwnHourMean = (float)usable.Average(d => d.HourlyMotion[h]),
                OwnDayMean = dayMean,
                Label = day.HourlyMotion[h],
            };
        }

        return rows;
    }

    public static ExpectedActivityModel Train(IEnumerable<HourRow> rows, UnusualDayOptions options, int seed = 1)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Concatenate("Features", nameof(HourRow.HourOfDay), nameof(HourRow.DayOfWeek),
                nameof(HourRow.Daylight), nameof(HourRow.OwnHourMean), nameof(HourRow.OwnDayMean))
            .Append(ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = nameof(HourRow.Label),
                FeatureColumnName = "Features",
                NumberOfTrees = options.FastTreeTrees,
                NumberOfLeaves = 16,
                MinimumExampleCountPerLeaf = 50,
                NumberOfThreads = 1,
            }));
        var model = pipeline.Fit(data);
        return new ExpectedActivityModel(ml, model, data.Schema);
    }

    /// <summary>Expected motion per row (same order).</summary>
    public float[] Predict(IReadOnlyList<HourRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
        return scored.GetColumn<float>(nameof(Prediction.Score)).ToArray();
    }

    /// <summary>Expected motion for each row and which input moved it most (index into <see cref="DutchFeatureNames"/>).</summary>
    public (float Expected, float[] Contributions)[] Explain(IReadOnlyList<HourRow> rows)
    {
        // The trained (and the loaded) model is a chain ending in the FastTree predictor, which can explain itself.
        var predictor = (ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>)((IEnumerable<ITransformer>)_model).Last();
        var explain = _ml.Transforms.CalculateFeatureContribution(predictor, normalize: false);
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
        var withContributions = explain.Fit(scored).Transform(scored);
        return _ml.Data.CreateEnumerable<Explained>(withContributions, reuseRowObject: false)
            .Select(e => (e.Score, e.FeatureContributions)).ToArray();
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _ml.Model.Save(_model, _schema, path);
    }

    public static ExpectedActivityModel Load(string path)
    {
        var ml = new MLContext(1);
        var model = ml.Model.Load(path, out var schema);
        return new ExpectedActivityModel(ml, model, schema);
    }
}
