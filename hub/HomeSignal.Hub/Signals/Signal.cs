namespace HomeSignal.Hub.Signals;

/// <summary>
/// A signal as served by the API (see API.md). <see cref="Title"/>, <see cref="Reason"/> and <see cref="Question"/> are
/// plain Dutch; the reason is neutral and may be shown to a vrijwilliger.
/// </summary>
public sealed record Signal
{
    public required string SignalId { get; init; }

    public string? ResidentId { get; init; }

    public required string Kind { get; init; }

    public required string Severity { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string Title { get; init; }

    public required string Reason { get; init; }

    public string? TodayValue { get; init; }

    public string? NormalRange { get; init; }

    public DateTimeOffset? Since { get; init; }

    public IReadOnlyList<string> Sensors { get; init; } = [];

    public required string Question { get; init; }

    public IReadOnlyList<string> Evidence { get; init; } = [];

    public required string Layer { get; init; }

    /// <summary>When the condition ended (e.g. the kit came back online); null while it holds.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
}

public static class SignalVocabulary
{
    public const string DataHealth = "data-health";
    public const string KitOffline = "kit-offline";
    public const string SensorStale = "sensor-stale";

    public static readonly IReadOnlySet<string> Severities = new HashSet<string>(StringComparer.Ordinal) { "urgent", "today", "this-week" };

    public static readonly IReadOnlySet<string> Layers = new HashSet<string>(StringComparer.Ordinal) { DataHealth, "acute", "unusual-day", "decline" };

    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "not-up", "inactivity", "door-open-night", "night-exit", "night-restless", "unusual-day",
        "decline-outings", "decline-post", "decline-movement", "decline-rising", "decline-nights", KitOffline, SensorStale,
    };
}
