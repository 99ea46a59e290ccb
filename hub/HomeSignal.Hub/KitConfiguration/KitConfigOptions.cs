using HomeSignal.Hub.Hosting;

namespace HomeSignal.Hub.KitConfiguration;

/// <summary>Configuration section <c>KitConfig</c>: the retained configuration the hub publishes to each kit.</summary>
public sealed class KitConfigOptions : IValidatedOptions
{
    public const string Section = "KitConfig";

    /// <summary>The heartbeat interval kits are told to use (the watchdog allows three of them).</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 60;

    /// <summary>How often the published configs are compared with the registry (changes are published within this).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<string> Validate()
    {
        if (HeartbeatIntervalSeconds is < 5 or > 3600)
        {
            yield return "KitConfig:HeartbeatIntervalSeconds must be 5–3600 (the contract's range).";
        }

        if (ReconcileInterval < TimeSpan.FromMilliseconds(100) || ReconcileInterval > TimeSpan.FromHours(1))
        {
            yield return "KitConfig:ReconcileInterval must be 00:00:00.1–01:00:00.";
        }
    }
}
