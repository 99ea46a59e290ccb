using HomeSignal.Detection;
using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Detection;

/// <summary>When and over what the hub runs detection. The engine's own thresholds live under <c>Detection:Engine</c>.</summary>
public sealed class HubDetectionOptions : IValidatedOptions
{
    public const string Section = "Detection";

    /// <summary>How often acute rules are evaluated; they fire within this time of their deadline.</summary>
    public TimeSpan EvaluateEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Local (Europe/Amsterdam) time of the nightly pass: baselines, unusual day, slow-decline trends.</summary>
    public TimeOnly NightlyAt { get; set; } = new(3, 0);

    /// <summary>Days of history loaded for a resident when the hub (re)starts following them.</summary>
    public int HistoryDays { get; set; } = 90;

    /// <summary>Closed days analysed by the first nightly pass over a newly followed resident (trends need persistence).</summary>
    public int NightlyCatchUpDays { get; set; } = 21;

    /// <summary>Events that arrive late (a kit catching up) are still applied if their time is within this window.</summary>
    public TimeSpan LateArrivalWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Where the trained ML.NET models are kept between runs.</summary>
    public string ModelsDirectory { get; set; } = "data/models";

    public DetectionOptions Engine { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (EvaluateEvery < TimeSpan.FromSeconds(5) || EvaluateEvery > TimeSpan.FromMinutes(5))
        {
            yield return "Detection:EvaluateEvery must be between 00:00:05 and 00:05:00 (acute rules fire within a minute of their deadline by default).";
        }

        if (HistoryDays is < 14 or > 400)
        {
            yield return "Detection:HistoryDays must be 14–400.";
        }

        if (NightlyCatchUpDays is < 1 or > 90)
        {
            yield return "Detection:NightlyCatchUpDays must be 1–90.";
        }

        if (LateArrivalWindow < TimeSpan.Zero || LateArrivalWindow > TimeSpan.FromDays(4))
        {
            yield return "Detection:LateArrivalWindow must be between 0 and 4 days.";
        }

        if (string.IsNullOrWhiteSpace(ModelsDirectory))
        {
            yield return "Detection:ModelsDirectory is required.";
        }

        foreach (var problem in Engine.Validate())
        {
            yield return $"Detection:Engine: {problem}";
        }
    }
}
