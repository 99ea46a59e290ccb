using System.ComponentModel.DataAnnotations;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>Config section "Belronde": when the list is ready and the round runs, in local time.</summary>
public sealed class BelrondeOptions
{
    public const string Section = "Belronde";

    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Belronde:ListReadyAt must be a time like 08:30.")]
    public string ListReadyAt { get; set; } = "08:30";

    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Belronde:RoundStartsAt must be a time like 09:00.")]
    public string RoundStartsAt { get; set; } = "09:00";

    /// <summary>Calls raised after this time go on the next day's list.</summary>
    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Belronde:RoundEndsAt must be a time like 12:00.")]
    public string RoundEndsAt { get; set; } = "12:00";

    /// <summary>"No movement since the morning" counts from this local time.</summary>
    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "Belronde:MorningFrom must be a time like 05:00.")]
    public string MorningFrom { get; set; } = "05:00";

    [Required(ErrorMessage = "Belronde:TimeZone is required, e.g. Europe/Amsterdam.")]
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    public TimeOnly ListReady => TimeOnly.ParseExact(ListReadyAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public TimeOnly RoundStarts => TimeOnly.ParseExact(RoundStartsAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public TimeOnly RoundEnds => TimeOnly.ParseExact(RoundEndsAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public TimeOnly Morning => TimeOnly.ParseExact(MorningFrom, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>Config section "Outreach": polling and escalation.</summary>
public sealed class OutreachOptions
{
    public const string Section = "Outreach";

    /// <summary>Run the intake on a timer. Tests and the demo may switch it off and call OutreachPlanner.RunOnceAsync themselves.</summary>
    public bool Worker { get; set; } = true;

    [Range(1, 3600, ErrorMessage = "Outreach:PollSeconds must be between 1 and 3600.")]
    public int PollSeconds { get; set; } = 30;

    /// <summary>An urgent melding not picked up within this time goes to the next person in the chain.</summary>
    [Range(1, 1440, ErrorMessage = "Outreach:UrgentPickupMinutes must be between 1 and 1440.")]
    public int UrgentPickupMinutes { get; set; } = 15;

    /// <summary>Signals are re-read with this overlap so one updated during a poll is not missed (intake is idempotent).</summary>
    [Range(0, 3600, ErrorMessage = "Outreach:OverlapSeconds must be between 0 and 3600.")]
    public int OverlapSeconds { get; set; } = 300;

    /// <summary>How far back the first poll looks when the dashboard starts with an empty database.</summary>
    [Range(1, 30, ErrorMessage = "Outreach:FirstPollDays must be between 1 and 30.")]
    public int FirstPollDays { get; set; } = 2;
}
