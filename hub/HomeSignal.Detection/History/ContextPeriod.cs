namespace HomeSignal.Detection.History;

/// <summary>Context kinds as the hub API names them (holiday, hospital, day-care, visit, life-event).</summary>
public enum ContextKind
{
    Holiday,
    Hospital,
    DayCare,
    Visit,
    LifeEvent,
}

/// <summary>A period entered by a person (or inferred): while it lasts, what counts as normal changes. An open period has no end.</summary>
public sealed record ContextPeriod(ContextKind Kind, DateTimeOffset From, DateTimeOffset? To, string? Note = null)
{
    public bool Covers(DateTimeOffset t) => t >= From && (To is null || t < To.Value);

    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => From < to && (To is null || To.Value > from);

    /// <summary>The resident is elsewhere: behaviour rules say nothing while it lasts.</summary>
    public bool MeansAway => Kind is ContextKind.Holiday or ContextKind.Hospital;

    public static string ApiName(ContextKind kind) => kind switch
    {
        ContextKind.Holiday => "holiday",
        ContextKind.Hospital => "hospital",
        ContextKind.DayCare => "day-care",
        ContextKind.Visit => "visit",
        _ => "life-event",
    };
}

/// <summary>An interval in which the kit was not heard from (no heartbeat). Open while it lasts.</summary>
public sealed record OfflineInterval(DateTimeOffset From, DateTimeOffset? To);
