using HomeSignal.Contracts.Payloads;
using HomeSignal.Simulation.Faults;

namespace HomeSignal.Simulation.Kits;

/// <summary>The heartbeats a simulated kit would have sent: none while offline, boot id and uptime from its boots.</summary>
public static class KitHeartbeats
{
    public const string SoftwareVersion = "sim-1.0";

    /// <summary>
    /// Heartbeats every <paramref name="interval"/> (default 60 s) over the run, lazily. Timestamps carry the kit clock's
    /// error during clock jumps, like its events.
    /// </summary>
    public static IEnumerable<Heartbeat> For(SimulationResult result, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var step = interval ?? TimeSpan.FromSeconds(60);
        if (step < TimeSpan.FromSeconds(1) || step > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), step, "The heartbeat interval must be 1 s – 1 h.");
        }

        return Enumerate(result, step);
    }

    private static IEnumerable<Heartbeat> Enumerate(SimulationResult result, TimeSpan step)
    {
        var boots = result.Events.Where(e => e.Kind == SensorKind.Kit && e.State == SensorStates.Boot).ToList();
        var clocks = result.Truth.Faults.Where(f => f.Kind == FaultKind.ClockJump).ToList();
        var offline = result.KitOffline;
        var boot = -1;
        for (var t = result.Start.AddSeconds(30); t < result.End; t += step)
        {
            if (offline.Any(o => t >= o.Start && t < o.End))
            {
                continue;
            }

            var clock = clocks.FirstOrDefault(c => t >= c.Start && t < c.End);
            while (boot + 1 < boots.Count && SimulationResult.TrueTime(boots[boot + 1], clocks) <= t)
            {
                boot++;
            }

            if (boot < 0)
            {
                continue;
            }

            var bootedAt = SimulationResult.TrueTime(boots[boot], clocks);
            yield return new Heartbeat
            {
                KitId = result.KitId,
                BootId = boots[boot].BootId,
                Ts = clock?.ClockOffset is { } offset ? t + offset : t,
                UptimeSeconds = (long)(t - bootedAt).TotalSeconds,
                IntervalSeconds = (int)step.TotalSeconds,
                ClockSynced = clock is null,
                Outbox = new OutboxHealth { Depth = 0, Bytes = 0, CapacityEvents = 1_000_000, CapacityBytes = 256L * 1024 * 1024 },
                SoftwareVersion = SoftwareVersion,
                Flags = clock is null ? [] : [HealthFlags.ClockUnsynchronised],
            };
        }
    }
}
