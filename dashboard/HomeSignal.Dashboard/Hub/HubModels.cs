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
    IReadOnlyList<string>? Flags, IReadOnlyList<HubSensor>? Sensors);

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
