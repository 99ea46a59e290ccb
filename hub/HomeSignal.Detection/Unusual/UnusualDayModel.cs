using Microsoft.ML;
using Microsoft.ML.Data;

namespace HomeSignal.Detection.Unusual;

/// <summary>Layer 2: a RandomizedPca anomaly detector over standardised resident-day vectors, pooled across residents
/// (each resident standardised against their own history, so "unusual" means unusual for that person). Higher score =
/// further from the normal day subspace.</summary>
public sealed class UnusualDayModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;

    private UnusualDayModel(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
    }

    public sealed class Row
    {
        [VectorType(DayVector.Length)]
        public float[] Features { get; set; } = new float[DayVector.Length];
    }

    public static UnusualDayModel Train(IEnumerable<float[]> standardisedRows, UnusualDayOptions options, int seed = 1)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(standardisedRows.Select(r => new Row { Features = r }));
        var trainer = ml.AnomalyDetection.Trainers.RandomizedPca(featureColumnName: nameof(Row.Features), rank: options.Rank,
            ensureZeroMean: true, seed: seed);
        var model = trainer.Fit(data);
        return new UnusualDayModel(ml, model, data.Schema);
    }

    public float[] Score(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var data = _ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }));
        var scored = _model.Transform(data);
        return scored.GetColumn<float>("Score").ToArray();
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _ml.Model.Save(_model, _schema, path);
    }

    public static UnusualDayModel Load(string path)
    {
        var ml = new MLContext(1);
        var model = ml.Model.Load(path, out var schema);
        return new UnusualDayModel(ml, model, schema);
    }
}
