namespace HomeSignal.Contracts.Payloads;

/// <summary>
/// One change seen by a kit, published on <c>…/events</c> with QoS 1 and kept in the kit's outbox until the hub
/// acknowledges (<see cref="BootId"/>, <see cref="Seq"/>) after its durable write.
/// </summary>
public sealed record SensorEvent
{
    public int V { get; init; } = ContractVersion.Current;

    public required string KitId { get; init; }

    /// <summary>Random id of the kit's current boot (32 lower-case hex characters).</summary>
    public required string BootId { get; init; }

    /// <summary>Per-kit sequence number, persisted across restarts, strictly increasing.</summary>
    public required long Seq { get; init; }

    public required string SensorId { get; init; }

    public required SensorKind Kind { get; init; }

    public required string State { get; init; }

    /// <summary>When the kit saw the change (UTC).</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>Whether the kit's clock was synchronised (NTP) when <see cref="Ts"/> was taken.</summary>
    public required bool ClockSynced { get; init; }
}

public static class ContractVersion
{
    public const int Current = 1;
}
