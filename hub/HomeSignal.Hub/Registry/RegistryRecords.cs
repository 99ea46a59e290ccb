using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Hub.Registry;

/// <summary>A resident's personal details: kept in the registry file, never next to event data.</summary>
public sealed record Resident(string ResidentId, string DisplayName, string? Phone, DateTimeOffset CreatedAt, DateTimeOffset? MonitoringSince);

public sealed record Consent(bool Monitoring, bool ShareWithNurse, bool Belronde, string? RecordedBy, DateTimeOffset? RecordedAt);

public sealed record Label(string SignalId, string Outcome, string? Note, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ContextPeriod(string Kind, DateTimeOffset From, DateTimeOffset? To, string? Note, bool Inferred);

/// <summary>A sensor's kind, room and purpose as registered by the installer (rooms are generic words, never addresses).</summary>
public sealed record SensorRecord(string SensorId, SensorKind Kind, string? Room, string? Purpose);

public sealed record KitRecord(
    string KitId,
    string? ResidentId,
    string Username,
    string PasswordHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    IReadOnlyList<SensorRecord> Sensors)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>When monitoring started on this kit (go-live); null while it is being installed.</summary>
    public DateTimeOffset? LiveSince { get; init; }

    /// <summary>Live and not revoked: its events feed detection, signals and tasks.</summary>
    public bool IsLive => LiveSince is not null && !IsRevoked;

    /// <summary><c>installing</c>, <c>live</c> or <c>revoked</c> (see <see cref="KitStages"/>).</summary>
    public string Stage => IsRevoked ? KitStages.Revoked : LiveSince is null ? KitStages.Installing : KitStages.Live;
}

/// <summary>A kit's life at the hub: enrolled and being installed, live (monitoring on), or revoked.</summary>
public static class KitStages
{
    public const string Installing = "installing";
    public const string Live = "live";
    public const string Revoked = "revoked";
}

/// <summary>What a new kit's installer gets once: the password is not kept in plain text.</summary>
public sealed record KitCredentials(string KitId, string Username, string Password);

/// <summary>The outcomes a label may record for a signal, and the context period kinds.</summary>
public static class RegistryVocabulary
{
    public static readonly IReadOnlySet<string> LabelOutcomes = new HashSet<string>(StringComparer.Ordinal)
    {
        "relevant", "not-relevant", "explained-visit", "explained-holiday", "explained-other",
    };

    public static readonly IReadOnlySet<string> ContextKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "holiday", "hospital", "day-care", "visit", "life-event",
    };
}
