using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeSignal.Dashboard.Hub;

// Shapes of hub/HomeSignal.Hub/API.md (v1). Loosely typed fields (texts that may come as numbers) use LooseString.

public sealed record HubResident(string ResidentId, string DisplayName, string? Phone, IReadOnlyList<string>? KitIds,
    DateTimeOffset? MonitoringSince, int? LearningDay, int? LearningDays);

public sealed record HubConsent(bool Monitoring, bool ShareWithNurse, bool Belronde, string? RecordedBy = null, DateTimeOffset? RecordedAt = null)
{
    public static readonly HubConsent None = new(false, false, false);
}

public sealed record HubSignal
{
    public required string SignalId { get; init; }
    public required string ResidentId { get; init; }
    public required string Kind { get; init; }
    public required string Severity { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string Title { get; init; } = string.Empty;
    public string Reason { get; init; } = string.Empty;
    [JsonConverter(typeof(LooseString))] public string? TodayValue { get; init; }
    [JsonConverter(typeof(LooseString))] public string? NormalRange { get; init; }
    public DateTimeOffset? Since { get; init; }
    public IReadOnlyList<string> Sensors { get; init; } = [];
    public string Question { get; init; } = string.Empty;
    public IReadOnlyList<string> Evidence { get; init; } = [];
    public string Layer { get; init; } = string.Empty;

    /// <summary>When the situation ended (e.g. found while the hub replayed old history, or the kit came back).</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
}

public sealed record HubAggregate(DateTimeOffset Start, double? Motion, double? DoorOpenings, double? Outings, double? MinutesOut,
    double? MailboxDeliveries, double? MailboxCollections, double? NightMotion,
    [property: JsonConverter(typeof(LooseString))] string? FirstActivity, [property: JsonConverter(typeof(LooseString))] string? LastActivity);

public sealed record HubContextPeriod(string Kind, DateTimeOffset From, DateTimeOffset? To, string? Note, bool Inferred = false);

public sealed record HubOutbox(long Depth, double? OldestAgeSeconds);

public sealed record HubSensor(string SensorId, string Kind, string? Room, string? Purpose,
    [property: JsonConverter(typeof(LooseString))] string? State, DateTimeOffset? LastChange, bool Stale);

public sealed record HubKit(string KitId, string? ResidentId, string Status, DateTimeOffset? LastSeen, DateTimeOffset? LastHeartbeat,
    [property: JsonConverter(typeof(LooseString))] string? BootId, string? SoftwareVersion, HubOutbox? Outbox,
    IReadOnlyList<string>? Flags, IReadOnlyList<HubSensor>? Sensors, string? Stage = null, DateTimeOffset? LiveSince = null)
{
    /// <summary>Kits registered before provisioning existed carry no stage: they count as live.</summary>
    public string StageOrLive => Stage ?? (Status == "revoked" ? KitStages.Revoked : KitStages.Live);
}

/// <summary>The provisioning stages of a kit at the hub (PROVISIONING.md).</summary>
public static class KitStages
{
    public const string Installing = "installing";
    public const string Live = "live";
    public const string Revoked = "revoked";

    public static string Dutch(string stage) => stage switch
    {
        Installing => "in installatie",
        Live => "live",
        Revoked => "ingetrokken",
        _ => stage,
    };
}

// Provisioning (issue #7): claim codes, enrolment, walk test, go-live, replace.

public sealed record HubKitSensor(string SensorId, string Kind, string? Room, string? Purpose);

public sealed record HubClaim(string ClaimCode, string Status, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen,
    IReadOnlyList<HubKitSensor>? Sensors, string? KitId);

public sealed record HubEnrolment(string KitId, string ResidentId, string Stage, IReadOnlyList<HubKitSensor>? Sensors);

public sealed record HubWalkTestStep(string SensorId, string Kind, string? Room, string? Instruction, string Status, string? Problem,
    string? Explanation, int Events, DateTimeOffset? LastEventAt, bool? Optional = null);

public sealed record HubWalkTest(string KitId, DateTimeOffset StartedAt, bool Passed, string? CurrentSensorId, IReadOnlyList<HubWalkTestStep> Steps);

/// <summary>Stable problem codes of the hub's provisioning answers (RFC 7807 body, member <c>code</c>).</summary>
public static class HubProblemCodes
{
    public const string UnknownClaim = "unknown-claim";
    public const string UnknownResident = "unknown-resident";
    public const string ClaimUsed = "claim-used";
    public const string ClaimExpired = "claim-expired";
    public const string ConsentMissing = "consent-missing";
    public const string NoWalkTest = "no-walktest";
    public const string WalkTestIncomplete = "walktest-incomplete";
    public const string KitNotInstalling = "kit-not-installing";
    public const string ConsentNotWithdrawn = "consent-not-withdrawn";
    public const string InvalidClaim = "invalid-claim";
    public const string KitNotBound = "kit-not-bound";
    public const string UnknownKit = "unknown-kit";
    public const string UnknownStep = "unknown-step";
}

public sealed record HubLabel(string SignalId, string Outcome, string? Note, string RecordedBy);

/// <summary>Reads a JSON string, number or boolean as text, so a hub that sends 12 or "12" both work.</summary>
public sealed class LooseString : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => JsonDocument.ParseValue(ref reader).RootElement.GetRawText(),
        _ => JsonDocument.ParseValue(ref reader).RootElement.GetRawText(),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
