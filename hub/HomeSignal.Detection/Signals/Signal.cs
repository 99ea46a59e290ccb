namespace HomeSignal.Detection.Signals;

/// <summary>The signal kinds of the hub API (<c>kind</c>).</summary>
public enum SignalKind
{
    NotUp,
    Inactivity,
    DoorOpenNight,
    NightExit,
    NightRestless,
    UnusualDay,
    DeclineOutings,
    DeclinePost,
    DeclineMovement,
    DeclineRising,
    DeclineNights,
    KitOffline,
    SensorStale,
}

public enum SignalSeverity
{
    Urgent,
    Today,
    ThisWeek,
}

public enum SignalLayer
{
    DataHealth,
    Acute,
    UnusualDay,
    Decline,
}

/// <summary>One signal, shaped like the hub API's signal. Dutch texts are ready to show; <see cref="Reason"/> is neutral
/// and may be shown to a vrijwilliger. <see cref="EpisodeStart"/> identifies the episode (one signal per episode).</summary>
public sealed record Signal
{
    public required string ResidentId { get; init; }

    public required SignalKind Kind { get; init; }

    public required SignalSeverity Severity { get; init; }

    public required SignalLayer Layer { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>When the situation began (last movement, door opened, decline window start …).</summary>
    public required DateTimeOffset EpisodeStart { get; init; }

    public required string Title { get; init; }

    public required string Reason { get; init; }

    public string? TodayValue { get; init; }

    public string? NormalRange { get; init; }

    public DateTimeOffset? Since { get; init; }

    public IReadOnlyList<string> Sensors { get; init; } = [];

    public required string Question { get; init; }

    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>Stable id: resident, kind and episode start, so re-evaluating the same instant yields the same signal.</summary>
    public string SignalId => $"{ResidentId}:{SignalNames.ApiName(Kind)}:{EpisodeStart.ToUnixTimeSeconds()}";
}

public static class SignalNames
{
    public static string ApiName(SignalKind kind) => kind switch
    {
        SignalKind.NotUp => "not-up",
        SignalKind.Inactivity => "inactivity",
        SignalKind.DoorOpenNight => "door-open-night",
        SignalKind.NightExit => "night-exit",
        SignalKind.NightRestless => "night-restless",
        SignalKind.UnusualDay => "unusual-day",
        SignalKind.DeclineOutings => "decline-outings",
        SignalKind.DeclinePost => "decline-post",
        SignalKind.DeclineMovement => "decline-movement",
        SignalKind.DeclineRising => "decline-rising",
        SignalKind.DeclineNights => "decline-nights",
        SignalKind.KitOffline => "kit-offline",
        _ => "sensor-stale",
    };

    public static string ApiName(SignalSeverity severity) => severity switch
    {
        SignalSeverity.Urgent => "urgent",
        SignalSeverity.Today => "today",
        _ => "this-week",
    };

    public static string ApiName(SignalLayer layer) => layer switch
    {
        SignalLayer.DataHealth => "data-health",
        SignalLayer.Acute => "acute",
        SignalLayer.UnusualDay => "unusual-day",
        _ => "decline",
    };

    public static SignalLayer LayerOf(SignalKind kind) => kind switch
    {
        SignalKind.KitOffline or SignalKind.SensorStale => SignalLayer.DataHealth,
        SignalKind.UnusualDay => SignalLayer.UnusualDay,
        SignalKind.DeclineOutings or SignalKind.DeclinePost or SignalKind.DeclineMovement or SignalKind.DeclineRising
            or SignalKind.DeclineNights => SignalLayer.Decline,
        _ => SignalLayer.Acute,
    };
}
