using Microsoft.Extensions.Options;

namespace HomeSignal.Edge.Liveness;

/// <summary>Whether the system clock is NTP-synchronised (a Pi has no RTC: after a power cut its clock starts in the past).</summary>
public sealed class ClockSync
{
    private readonly LivenessOptions _options;

    public ClockSync(IOptions<LivenessOptions> options) => _options = options.Value;

    public bool IsSynced() => _options.AssumeClockSynced || File.Exists(_options.ClockSyncedMarkerPath);
}
