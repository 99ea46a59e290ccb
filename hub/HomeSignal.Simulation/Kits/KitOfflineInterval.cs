using HomeSignal.Simulation.Faults;

namespace HomeSignal.Simulation.Kits;

/// <summary>An interval in which the hub receives no heartbeats from the kit, and why.</summary>
public sealed record KitOfflineInterval(DateTimeOffset Start, DateTimeOffset End, FaultKind Reason)
{
    /// <summary>Whether the kit lost the events of this interval (power, reboot) rather than buffering them (network).</summary>
    public bool EventsLost => Reason is FaultKind.PowerOutage or FaultKind.Reboot;
}
