namespace HomeSignal.Contracts.Payloads;

/// <summary>Periodic health on <c>…/heartbeat</c> (every 60 s by default).</summary>
public sealed record Heartbeat
{
    // Collections never read back as null, even when a payload omits them (source-generated init setters pass null).
    private readonly IReadOnlyList<SensorHealth> _sensors = [];
    private readonly IReadOnlyList<string> _flags = [];

    public int V { get; init; } = ContractVersion.Current;

    public required string KitId { get; init; }

    public required string BootId { get; init; }

    public required DateTimeOffset Ts { get; init; }

    public required long UptimeSeconds { get; init; }

    /// <summary>Seconds until the next heartbeat; the hub declares the kit offline after three missed intervals.</summary>
    public required int IntervalSeconds { get; init; }

    public required bool ClockSynced { get; init; }

    public required OutboxHealth Outbox { get; init; }

    public long? DiskFreeBytes { get; init; }

    public double? CpuTemperatureCelsius { get; init; }

    public required string SoftwareVersion { get; init; }

    public IReadOnlyList<SensorHealth> Sensors { get => _sensors; init => _sensors = value ?? []; }

    /// <summary>Problems the kit knows of, e.g. <see cref="HealthFlags.NoSubscribers"/>.</summary>
    public IReadOnlyList<string> Flags { get => _flags; init => _flags = value ?? []; }
}

public sealed record OutboxHealth
{
    public required long Depth { get; init; }

    public required long Bytes { get; init; }

    public double? OldestAgeSeconds { get; init; }

    public required long CapacityEvents { get; init; }

    public required long CapacityBytes { get; init; }
}

public sealed record SensorHealth
{
    public required string SensorId { get; init; }

    public required SensorKind Kind { get; init; }

    public string? State { get; init; }

    public DateTimeOffset? LastChange { get; init; }
}

/// <summary>Health flags a kit may raise in its heartbeat.</summary>
public static class HealthFlags
{
    /// <summary>The broker answered "no matching subscribers": the hub is not listening; events stay in the outbox.</summary>
    public const string NoSubscribers = "no-subscribers";

    /// <summary>The broker refused a publish as not authorised: credentials or ACL are wrong.</summary>
    public const string NotAuthorised = "not-authorised";

    /// <summary>The outbox reached its capacity; see the edge README for the overflow policy.</summary>
    public const string OutboxFull = "outbox-full";

    public const string ClockUnsynchronised = "clock-unsynchronised";

    /// <summary>The hub rejected one or more events as invalid (see the hub's rejection log).</summary>
    public const string EventsRejected = "events-rejected";
}
