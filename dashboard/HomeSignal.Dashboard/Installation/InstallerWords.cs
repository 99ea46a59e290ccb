using HomeSignal.Dashboard.Hub;

namespace HomeSignal.Dashboard.Installation;

/// <summary>What the installer reads: the hub's refusals and the walk test's states, in plain Dutch.</summary>
public static class InstallerWords
{
    public const string BadCode = "Deze code klopt niet. Een claimcode heeft 10 tekens, zoals ABCD-EFGH-JK; u vindt hem op het label van de kit.";

    public const string NoMonitoringConsent =
        "Eerst toestemming: zonder toestemming van de bewoner voor monitoring kan de kit niet worden aangemeld of live gezet.";

    /// <summary>A refusal of the hub in words; the hub's English detail is only a fallback for codes this version does not know.</summary>
    public static string Refusal(HubRefusedException refusal) => refusal.Code switch
    {
        HubProblemCodes.UnknownClaim =>
            "Deze code is onbekend: er heeft zich nog geen kit met deze code bij de hub gemeld. Controleer de code op het label, en of de kit aan staat en verbinding heeft.",
        HubProblemCodes.ClaimUsed =>
            "Deze code is al gebruikt: een code werkt maar één keer en deze kit is al aangemeld. Hoort hij bij een andere bewoner, neem dan contact op met de beheerder.",
        HubProblemCodes.ClaimExpired =>
            "Deze code is verlopen. Zet de kit uit en weer aan: hij maakt dan een nieuwe code en een nieuw label.",
        HubProblemCodes.ConsentMissing => NoMonitoringConsent,
        HubProblemCodes.UnknownResident => "Deze bewoner bestaat niet (meer). Kies de bewoner opnieuw.",
        HubProblemCodes.WalkTestIncomplete => "De kit kan nog niet live: de looptest is nog niet voor alle sensoren geslaagd.",
        HubProblemCodes.KitNotInstalling => "Deze kit is niet (meer) in installatie: hij is al live of ingetrokken.",
        HubProblemCodes.ConsentNotWithdrawn => "Trek eerst de toestemming voor monitoring in; pas daarna kunnen alle gegevens worden verwijderd.",
        HubProblemCodes.InvalidClaim => BadCode,
        HubProblemCodes.KitNotBound => "Deze kit hoort bij geen bewoner; meld de nieuwe kit aan via 'Kit aanmelden'.",
        HubProblemCodes.UnknownKit => "Deze kit bestaat niet (meer).",
        HubProblemCodes.UnknownStep => "Deze sensor hoort niet bij de looptest van deze kit.",
        HubProblemCodes.NoWalkTest => "Voor deze kit is nog geen looptest gestart.",
        _ when refusal.Status == 429 => "Te veel pogingen kort na elkaar. Wacht een minuut en probeer het opnieuw.",
        _ when refusal.Status == 404 => "Niet gevonden: deze kit of bewoner bestaat niet (meer).",
        _ => $"De hub weigerde dit ({refusal.Status}): {refusal.Detail}",
    };

    public static string StepStatus(string status) => status switch
    {
        "waiting" => "nog niet aan de beurt",
        "current" => "nu doen",
        "passed" => "gelukt",
        "failed" => "niet gelukt",
        _ => status,
    };

    public static string? Problem(string? problem) => problem switch
    {
        null => null,
        "no-event" => "geen signaal",
        "inverted" => "omgekeerd aangesloten",
        "bouncing" => "dendert (klappert)",
        _ => problem,
    };

    /// <summary>The hub explains each problem; these words are used when its answer has none.</summary>
    public static string? Explanation(string? problem, string? fromHub) => !string.IsNullOrWhiteSpace(fromHub) ? fromHub : problem switch
    {
        null => null,
        "no-event" => "Er kwam geen signaal binnen de tijd. Controleer of de sensor is aangesloten en of de kit verbinding heeft.",
        "inverted" => "De sensor meldt dicht als hij open gaat: de draden of de instelling 'Contact' staan omgekeerd.",
        "bouncing" => "Het contact meldt vele keren open en dicht binnen een paar seconden. Zet de magneet dichter bij de sensor en zet hem vast.",
        _ => null,
    };

    /// <summary>The hub gives Dutch instructions; these are used when a step has none.</summary>
    public static string Instruction(HubWalkTestStep step) => !string.IsNullOrWhiteSpace(step.Instruction) ? step.Instruction : step.Kind switch
    {
        "door" => "Open de voordeur en sluit hem weer",
        "motion" => $"Loop langs de bewegingssensor{(step.Room is null ? "" : " in de " + step.Room)}",
        "mailbox-flap" => "Duw de klep van de brievenbus open",
        "mailbox-door" => "Open de brievenbus (deurtje of deksel) en sluit hem weer",
        "button" => "Druk op de knop 'alles goed'",
        _ => $"Laat sensor {step.SensorId} iets melden",
    };

    /// <summary>"leren: dag N van 14" while the hub is still learning the resident's routine; null once it has.</summary>
    /// <remarks>The hub caps learningDay at learningDays, so whether learning is over is read from monitoringSince.</remarks>
    public static string? Learning(HubResident? resident, DateTimeOffset now) =>
        resident is { LearningDay: { } day, LearningDays: { } days, MonitoringSince: { } since } && now < since.AddDays(days)
            ? $"leren: dag {day} van {days}"
            : null;
}
