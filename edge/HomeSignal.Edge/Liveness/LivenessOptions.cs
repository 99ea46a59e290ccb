using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Liveness;

/// <summary>Configuration section <c>Liveness</c>: heartbeat and the probes it reports.</summary>
public sealed class LivenessOptions
{
    public const string Section = "Liveness";

    public int HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>systemd-timesyncd creates this file once the clock is synchronised.</summary>
    public string ClockSyncedMarkerPath { get; set; } = "/run/systemd/timesync/synchronized";

    /// <summary>For simulated kits and machines whose clock is kept by something else than timesyncd.</summary>
    public bool AssumeClockSynced { get; set; }

    public string CpuTemperaturePath { get; set; } = "/sys/class/thermal/thermal_zone0/temp";
}

internal sealed class LivenessOptionsValidator : IValidateOptions<LivenessOptions>
{
    public ValidateOptionsResult Validate(string? name, LivenessOptions options) =>
        options.HeartbeatIntervalSeconds is < 1 or > 3600
            ? ValidateOptionsResult.Fail($"Liveness:HeartbeatIntervalSeconds is {options.HeartbeatIntervalSeconds}; it must be 1–3600 seconds.")
            : ValidateOptionsResult.Success;
}
