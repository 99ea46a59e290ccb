using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Hub;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>What a signal becomes: a task kind for a role, or nothing (with the reason, for the log).</summary>
public sealed record Route(string? Kind, string? Role, int Priority, string Why);

/// <summary>The intake rules, as a pure function of the signal and the resident's consent.</summary>
public static class SignalRouting
{
    public const int PriorityUrgent = 3;
    public const int PriorityToday = 2;
    public const int PriorityThisWeek = 1;
    public const int PriorityByChoice = 0;

    public static Route Decide(HubSignal signal, HubConsent consent)
    {
        // Kit health is not behaviour: it goes to the installer whatever the disclosure consents say.
        if (signal.Layer == "data-health" || signal.Kind is "kit-offline" or "sensor-stale")
        {
            return new Route(TaskKinds.KitMaintenance, Roles.Installateur, Priority(signal.Severity), "kit health");
        }

        if (!consent.Monitoring)
        {
            return new Route(null, null, 0, "no monitoring consent");
        }

        return signal.Severity switch
        {
            "urgent" => consent.ShareWithNurse
                ? new Route(TaskKinds.UrgentMelding, Roles.Wijkverpleegkundige, PriorityUrgent, "urgent, shared with the nurse")
                : new Route(TaskKinds.UrgentMelding, Roles.SociaalWerker, PriorityUrgent, "urgent, no consent to share with the nurse"),
            "today" => consent.Belronde
                ? new Route(TaskKinds.BelrondeCall, Roles.Vrijwilliger, PriorityToday, "today, belronde")
                : new Route(TaskKinds.Visit, Roles.SociaalWerker, PriorityToday, "today, no belronde consent"),
            "this-week" => new Route(TaskKinds.Visit, Roles.SociaalWerker, PriorityThisWeek, "this week"),
            _ => new Route(null, null, 0, $"unknown severity '{signal.Severity}'"),
        };
    }

    public static int Priority(string severity) => severity switch
    {
        "urgent" => PriorityUrgent,
        "today" => PriorityToday,
        _ => PriorityThisWeek,
    };

    /// <summary>Where an urgent melding for this resident goes (also used for escalations made by people's outcomes).</summary>
    public static string MeldingRole(HubConsent consent) => consent.ShareWithNurse ? Roles.Wijkverpleegkundige : Roles.SociaalWerker;
}
