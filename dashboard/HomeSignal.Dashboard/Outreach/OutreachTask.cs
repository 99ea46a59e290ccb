namespace HomeSignal.Dashboard.Outreach;

/// <summary>Task kinds, statuses and outcomes as stored; <see cref="Dutch"/> gives the words people see.</summary>
public static class TaskKinds
{
    public const string BelrondeCall = "belronde-call";
    public const string Visit = "visit";
    public const string UrgentMelding = "urgent-melding";
    public const string KitMaintenance = "kit-maintenance";
}

public static class TaskStatuses
{
    public const string Open = "open";
    public const string PickedUp = "picked-up";
    public const string OutcomeRecorded = "outcome-recorded";
    public const string Closed = "closed";

    /// <summary>"Open" for the one-task-per-resident-per-kind rule: not yet handled.</summary>
    public static bool IsActive(string status) => status is Open or PickedUp;
}

public static class Outcomes
{
    public const string AllesGoed = "alles-goed";
    public const string NietOpgenomen = "niet-opgenomen";
    public const string ZorgNodig = "zorg-nodig";
    public const string NietThuis = "niet-thuis";
    public const string OnterechtSignaal = "onterecht-signaal";

    public static readonly IReadOnlyList<string> All = [AllesGoed, NietOpgenomen, ZorgNodig, NietThuis, OnterechtSignaal];

    /// <summary>Why a signal was onterecht; each maps to a label outcome of the hub API.</summary>
    public static readonly IReadOnlyDictionary<string, (string Dutch, string Label)> FalseSignalReasons = new Dictionary<string, (string, string)>
    {
        ["bezoek"] = ("Er was bezoek", "explained-visit"),
        ["weg"] = ("Bewoner was weg (vakantie, logeren, opname)", "explained-holiday"),
        ["kit"] = ("Sensor of kit werkte niet goed", "not-relevant"),
        ["anders"] = ("Andere reden", "explained-other"),
    };
}

public static class Dutch
{
    public static string Kind(string kind) => kind switch
    {
        TaskKinds.BelrondeCall => "Belronde",
        TaskKinds.Visit => "Huisbezoek",
        TaskKinds.UrgentMelding => "Urgente melding",
        TaskKinds.KitMaintenance => "Kit-onderhoud",
        _ => kind,
    };

    public static string Status(string status) => status switch
    {
        TaskStatuses.Open => "open",
        TaskStatuses.PickedUp => "opgepakt",
        TaskStatuses.OutcomeRecorded => "uitkomst vastgelegd",
        TaskStatuses.Closed => "afgehandeld",
        _ => status,
    };

    public static string Outcome(string? outcome) => outcome switch
    {
        Outcomes.AllesGoed => "Alles goed",
        Outcomes.NietOpgenomen => "Niet opgenomen",
        Outcomes.ZorgNodig => "Zorg nodig",
        Outcomes.NietThuis => "Niet thuis",
        Outcomes.OnterechtSignaal => "Onterecht signaal",
        null => "",
        _ => outcome,
    };
}

public sealed record OutreachTask
{
    public long Id { get; init; }
    public required string ResidentId { get; init; }
    public required string Kind { get; init; }
    public required string Status { get; init; }
    public string? Owner { get; init; }
    public required string OwnerRole { get; init; }
    public int Priority { get; init; }
    public bool ByChoice { get; init; }
    public required string Title { get; init; }
    public required string Reason { get; init; }
    public required string Question { get; init; }
    public DateOnly DueDate { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset AssignedAt { get; init; }
    public DateTimeOffset? PickedUpAt { get; init; }
    public string? Outcome { get; init; }
    public string? OutcomeReason { get; init; }
    public DateTimeOffset? OutcomeAt { get; init; }
    public string? OutcomeBy { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public long? FromTaskId { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }
}

public sealed record TaskSignal(string SignalId, string Kind, string Severity, string Title, string Reason, string Question,
    DateTimeOffset RaisedAt, IReadOnlyList<string> Evidence);

public sealed record TaskLogEntry(DateTimeOffset At, string Actor, string ActorRole, string Kind, string Text);
