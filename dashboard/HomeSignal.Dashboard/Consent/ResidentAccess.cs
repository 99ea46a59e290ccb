using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;

namespace HomeSignal.Dashboard.Consent;

/// <summary>
/// What one user may see of one resident, decided on the server from role, responsibility and the resident's consent.
/// <see cref="MayTakeOn"/>: the resident has no vast aanspreekpunt yet; only the name is shown, with the way to take them on.
/// <see cref="Refusal"/>: why the page is refused, in Dutch, for the person who was refused.
/// </summary>
public sealed record ResidentView(bool MayOpen, bool ShowsBehaviour, bool MayEditContext, bool MayEditConsent, HubConsent Consent,
    bool MayTakeOn = false, string? Refusal = null)
{
    public static ResidentView Refused(string? refusal = null, HubConsent? consent = null) =>
        new(false, false, false, false, consent ?? HubConsent.None, Refusal: refusal);
}

/// <summary>
/// Least disclosure. A vrijwilliger, installateur or beheerder never opens a resident's history; a wijkverpleegkundige only
/// with consent to share with the nurse (and monitoring). A sociaal werker opens only the residents they are the vast
/// aanspreekpunt of (the caseload), and sees behaviour there only with monitoring consent.
/// A resident without a vast aanspreekpunt (never assigned, or their sociaal werker left) is not hidden: every sociaal
/// werker sees the name — nothing else, no health data — and can take the resident on or give them to a colleague
/// (<see cref="ContactAssignment"/>), because no person may be left unnoticed. Tasks are separate: whoever owns a task
/// may do it, also for a resident outside their caseload (<see cref="TaskActions.MayAct"/>).
/// </summary>
public sealed class ResidentAccess(HubClient hub, Caseload caseload, UserStore users)
{
    public const string NotYours =
        "U bent niet het vaste aanspreekpunt van deze bewoner. Een sociaal werker ziet alleen de bewoners voor wie hij of zij verantwoordelijk is.";

    public static bool MayListResidents(string role) => role is Roles.SociaalWerker or Roles.Wijkverpleegkundige;

    public async Task<ResidentView> ForAsync(string user, string role, string residentId, CancellationToken ct = default)
    {
        if (!MayListResidents(role))
        {
            return ResidentView.Refused();
        }

        if (role == Roles.SociaalWerker)
        {
            var contact = caseload.ContactOf(residentId);
            if (contact is null)
            {
                return ResidentView.Refused("Deze bewoner heeft nog geen vast aanspreekpunt.") with { MayTakeOn = true };
            }

            if (contact != user)
            {
                var name = users.Find(contact)?.DisplayName ?? contact;
                return ResidentView.Refused($"{NotYours} Het vaste aanspreekpunt is {name}; vraag of die de bewoner aan u overdraagt.");
            }
        }

        var consent = await hub.ConsentAsync(residentId, ct);
        return role switch
        {
            Roles.SociaalWerker => new ResidentView(true, consent.Monitoring, true, true, consent),
            Roles.Wijkverpleegkundige when consent.Monitoring && consent.ShareWithNurse => new ResidentView(true, true, false, false, consent),
            _ => ResidentView.Refused(consent: consent),
        };
    }
}
