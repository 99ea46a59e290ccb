using System.Globalization;
using HomeSignal.Detection.Unusual;

namespace HomeSignal.Detection.Nightly;

/// <summary>The models directory: ML.NET model zips plus a small stamp saying when they were trained, so the nightly pass
/// loads them and retrains on schedule.</summary>
public sealed class ModelStore(string directory)
{
    private const string UnusualFile = "unusual-day-pca.zip";
    private const string ExpectedFile = "expected-activity-fasttree.zip";
    private const string StampFile = "trained-on.txt";

    public string Directory { get; } = directory;

    public void Save(DetectionModels models)
    {
        System.IO.Directory.CreateDirectory(Directory);
        models.Unusual.Save(Path.Combine(Directory, UnusualFile));
        models.Expected.Save(Path.Combine(Directory, ExpectedFile));
        File.WriteAllText(Path.Combine(Directory, StampFile), models.TrainedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The stored models, or null when there are none yet (or a file is missing: they are then retrained).</summary>
    public DetectionModels? Load()
    {
        var stamp = Path.Combine(Directory, StampFile);
        var unusual = Path.Combine(Directory, UnusualFile);
        var expected = Path.Combine(Directory, ExpectedFile);
        if (!File.Exists(stamp) || !File.Exists(unusual) || !File.Exists(expected))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(File.ReadAllText(stamp).Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var trainedOn))
        {
            return null;
        }

        return new DetectionModels(UnusualDayModel.Load(unusual), ExpectedActivityModel.Load(expected), trainedOn);
    }
}

/// <summary>The cross-resident models of layer 2 and the day they were trained.</summary>
public sealed record DetectionModels(UnusualDayModel Unusual, ExpectedActivityModel Expected, DateOnly TrainedOn);
