using System.Text.Json.Serialization;

namespace HomeSignal.Contracts.Payloads;

/// <summary>What a sensor is. <see cref="Kit"/> is the kit itself, for lifecycle events (boot, power restored, …).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SensorKind>))]
public enum SensorKind
{
    [JsonStringEnumMemberName("door")] Door,
    [JsonStringEnumMemberName("motion")] Motion,
    [JsonStringEnumMemberName("mailbox-flap")] MailboxFlap,
    [JsonStringEnumMemberName("mailbox-door")] MailboxDoor,
    [JsonStringEnumMemberName("button")] Button,
    [JsonStringEnumMemberName("kit")] Kit,
}

/// <summary>The states a sensor of each kind may report.</summary>
public static class SensorStates
{
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Pressed = "pressed";

    // Kit lifecycle events, reported with kind "kit" and sensor id "kit".
    public const string Boot = "boot";
    public const string PowerRestored = "power-restored";
    public const string ClockUnsynchronised = "clock-unsynchronised";
    public const string OutboxFull = "outbox-full";

    public const string KitSensorId = "kit";

    public static IReadOnlyList<string> AllowedFor(SensorKind kind) => kind switch
    {
        SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor => [Open, Closed],
        SensorKind.Motion => [Active, Inactive],
        SensorKind.Button => [Pressed],
        SensorKind.Kit => [Boot, PowerRestored, ClockUnsynchronised, OutboxFull],
        _ => [],
    };

    public static bool IsAllowed(SensorKind kind, string? state) =>
        state is not null && AllowedFor(kind).Contains(state, StringComparer.Ordinal);
}
