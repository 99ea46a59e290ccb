using System.Text.Json.Serialization;

namespace HomeSignal.Contracts.Payloads;

[JsonConverter(typeof(JsonStringEnumConverter<KitState>))]
public enum KitState
{
    [JsonStringEnumMemberName("online")] Online,
    [JsonStringEnumMemberName("offline")] Offline,
}

/// <summary>
/// Retained on <c>…/status</c>. The kit publishes <see cref="KitState.Online"/> after connecting and registers the
/// <see cref="KitState.Offline"/> variant as its last will. The hub never relies on the will alone: it keeps its own
/// last-seen watchdog over heartbeats.
/// </summary>
public sealed record KitStatus
{
    public int V { get; init; } = ContractVersion.Current;

    public required string KitId { get; init; }

    public required string BootId { get; init; }

    public required KitState State { get; init; }

    /// <summary>When the status was composed (for a last will: when the kit connected).</summary>
    public required DateTimeOffset Ts { get; init; }
}
