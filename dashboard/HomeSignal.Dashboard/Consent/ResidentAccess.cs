using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Hub;

namespace HomeSignal.Dashboard.Consent;

/// <summary>What one user may see of one resident, decided on the server from role and the resident's consent.</summary>
public sealed record ResidentView(bool MayOpen, bool ShowsBehaviour, bool MayEditContext, bool MayEditConsent, HubConsent Consent);

/// <summary>
/// Least disclosure. A vrijwilliger, installateur or beheerder never opens a resident's history; a wijkverpleegkundige only
/// with consent to share with the nurse (and monitoring); a sociaal werker opens the page, but sees behaviour only with
/// monitoring consent. Without consent for a purpose nothing of that purpose is shown.
/// </summary>
public sealed class ResidentAccess(HubClient hub)
{
    public static bool MayListResidents(string role) => role is Roles.SociaalWerker or Roles.Wijkverpleegkundige;

    public async Task<ResidentView> ForAsync(string role, string residentId, CancellationToken ct = default)
    {
        if (!MayListResidents(role))
        {
            return new ResidentView(false, false, false, false, HubConsent.None);
        }

        var consent = await hub.ConsentAsync(residentId, ct);
        return role switch
        {
            Roles.SociaalWerker => new ResidentView(true, consent.Monitoring, true, true, consent),
            Roles.Wijkverpleegkundige when consent.Monitoring && consent.ShareWithNurse => new ResidentView(true, true, false, false, consent),
            _ => new ResidentView(false, false, false, false, consent),
        };
    }
}
