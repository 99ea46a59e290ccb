using HomeSignal.Detection.Acute;
using HomeSignal.Detection.Baselines;
using HomeSignal.Detection.Decline;
using HomeSignal.Detection.Features;
using HomeSignal.Detection.Unusual;

namespace HomeSignal.Detection;

/// <summary>All detection settings (config section <c>Detection</c>): thresholds are configuration, not constants.</summary>
public sealed class DetectionOptions
{
    public const string Section = "Detection";

    public FeatureOptions Features { get; set; } = new();

    public BaselineOptions Baselines { get; set; } = new();

    public AcuteOptions Acute { get; set; } = new();

    public DeclineOptions Decline { get; set; } = new();

    public UnusualDayOptions Unusual { get; set; } = new();

    /// <summary>Every problem with the settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate() =>
        [.. Features.Validate(), .. Baselines.Validate(), .. Acute.Validate(), .. Decline.Validate(), .. Unusual.Validate()];
}
