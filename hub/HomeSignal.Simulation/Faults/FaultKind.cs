namespace HomeSignal.Simulation.Faults;

public enum FaultKind
{
    /// <summary>A motion sensor misses everything for a while (or, without an episode, single periods now and then).</summary>
    PirDropout,

    /// <summary>A sensor sends nothing (battery, wire).</summary>
    DeadSensor,

    /// <summary>A motion sensor reports active and then nothing until the episode ends.</summary>
    StuckSensor,

    /// <summary>The kit has no power: no events, no heartbeats; it boots with a new boot id when power returns.</summary>
    PowerOutage,

    /// <summary>The kit runs but cannot reach the hub: no heartbeats; events are kept in its outbox and arrive later.</summary>
    NetworkOutage,

    /// <summary>A short software reboot: a new boot id, events during the reboot are not seen.</summary>
    Reboot,

    /// <summary>The kit's clock is wrong by <see cref="FaultEpisode.ClockOffset"/>: its events carry clockSynced=false.</summary>
    ClockJump,
}

/// <summary>A fault to inject at a known time (tests, evaluation).</summary>
public sealed record InjectedFault(FaultKind Kind, DateTimeOffset Start, TimeSpan Duration, string? SensorId = null, TimeSpan? ClockOffset = null);

/// <summary>A fault as it happened (ground truth). <see cref="SensorId"/> is null for kit-wide faults.</summary>
public sealed record FaultEpisode(FaultKind Kind, string? SensorId, DateTimeOffset Start, DateTimeOffset End, TimeSpan? ClockOffset = null);

/// <summary>Which faults happen at random, at realistic rates.</summary>
public sealed record FaultSwitches
{
    /// <summary>Single missed motion periods (~0.5%) and drop-out episodes of 1–8 h (~1 per sensor per 2 months).</summary>
    public bool PirDropouts { get; init; }

    /// <summary>A sensor dies ~1.5 times a year per kit, for 2–14 days.</summary>
    public bool DeadSensors { get; init; }

    /// <summary>A motion sensor sticks at active ~once a year, for 1–5 days.</summary>
    public bool StuckSensors { get; init; }

    /// <summary>Power outages (~4/year, 5 min–12 h), network outages (~6/year, 10 min–3 days), reboots (~monthly).</summary>
    public bool KitOutages { get; init; }

    /// <summary>After power outages the clock restarts where it stopped until NTP syncs; NTP steps ~2/year.</summary>
    public bool ClockJumps { get; init; }

    public static FaultSwitches None { get; } = new();

    public static FaultSwitches All { get; } = new() { PirDropouts = true, DeadSensors = true, StuckSensors = true, KitOutages = true, ClockJumps = true };
}
