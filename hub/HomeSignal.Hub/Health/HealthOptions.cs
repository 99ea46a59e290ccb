using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.Health;

/// <summary>Configuration section <c>Health</c>: the kit watchdog and sensor staleness.</summary>
public sealed class HealthOptions : IValidatedOptions
{
    public const string Section = "Health";

    /// <summary>How often the watchdog looks (detection delay is at most this on top of three heartbeat intervals).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Missed heartbeat intervals after which a kit is offline.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>Assumed heartbeat interval of a kit that has not sent one yet.</summary>
    public int DefaultHeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>A sensor is stale when silent longer than this many times its longest gap in <see cref="GapHistory"/>.</summary>
    public double StaleGapFactor { get; set; } = 3;

    public TimeSpan GapHistory { get; set; } = TimeSpan.FromDays(28);

    /// <summary>Staleness is only judged with at least this much history.</summary>
    public TimeSpan MinimumHistory { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Never stale sooner than this, whatever the history says.</summary>
    public TimeSpan MinimumStaleAfter { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often sensor gap profiles are recomputed from the store.</summary>
    public TimeSpan StaleCheckInterval { get; set; } = TimeSpan.FromMinutes(30);

    public IEnumerable<string> Validate()
    {
        if (CheckInterval <= TimeSpan.Zero || StaleCheckInterval <= TimeSpan.Zero)
        {
            yield return "Health:CheckInterval and Health:StaleCheckInterval must be positive.";
        }

        if (MissedHeartbeats is < 1 or > 3)
        {
            yield return "Health:MissedHeartbeats must be 1–3 (a dead kit is noticed within three heartbeats).";
        }

        if (DefaultHeartbeatIntervalSeconds is < 1 or > 3600)
        {
            yield return "Health:DefaultHeartbeatIntervalSeconds must be 1–3600.";
        }

        if (StaleGapFactor < 1)
        {
            yield return "Health:StaleGapFactor must be at least 1.";
        }

        if (GapHistory < MinimumHistory || MinimumHistory <= TimeSpan.Zero)
        {
            yield return "Health:GapHistory must be at least Health:MinimumHistory, which must be positive.";
        }
    }
}
