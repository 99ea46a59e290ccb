namespace HomeSignal.Contracts.Payloads;

/// <summary>Hub to kit, retained on <c>…/config</c>: what the hub expects of the kit.</summary>
public sealed record KitConfig
{
    private readonly IReadOnlyList<SensorAssignment> _sensors = [];

    public int V { get; init; } = ContractVersion.Current;

    public required string KitId { get; init; }

    public required DateTimeOffset Ts { get; init; }

    public int HeartbeatIntervalSeconds { get; init; } = 60;

    public IReadOnlyList<SensorAssignment> Sensors { get => _sensors; init => _sensors = value ?? []; }
}

/// <summary>A sensor's purpose and room as registered at the hub (rooms are generic words, never addresses).</summary>
public sealed record SensorAssignment(string SensorId, SensorKind Kind, string Room, string Purpose);

/// <summary>Hub to kit on <c>…/commands</c>: one-off instructions.</summary>
public sealed record KitCommand
{
    private readonly IReadOnlyDictionary<string, string> _arguments = new Dictionary<string, string>();

    public int V { get; init; } = ContractVersion.Current;

    public required string KitId { get; init; }

    public required string CommandId { get; init; }

    /// <summary>One of <see cref="KitCommandNames"/>.</summary>
    public required string Name { get; init; }

    public required DateTimeOffset Ts { get; init; }

    public IReadOnlyDictionary<string, string> Arguments { get => _arguments; init => _arguments = value ?? new Dictionary<string, string>(); }
}

public static class KitCommandNames
{
    /// <summary>Blink the status LED so an installer can find the kit.</summary>
    public const string Identify = "identify";

    /// <summary>Publish a heartbeat now.</summary>
    public const string HeartbeatNow = "heartbeat-now";

    /// <summary>Start or stop the installer's walk test (argument <c>active</c> = true/false).</summary>
    public const string WalkTest = "walk-test";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Identify, HeartbeatNow, WalkTest };
}
