using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;

namespace HomeSignal.Dashboard.Consent;

/// <summary>A choice of vast aanspreekpunt that cannot be made (unknown resident, not an active sociaal werker); the message is Dutch.</summary>
public sealed class ContactAssignmentException(string message) : Exception(message);

/// <summary>
/// Who becomes a resident's vast aanspreekpunt (the sociaal werker responsible for them), and so who may see them.
/// The role is "sociaal werker / coördinator": any sociaal werker may take on a resident who has nobody, or give such a
/// resident to a colleague; once a resident has a vast aanspreekpunt, only that person may hand them over, so nobody
/// can widen their own view of someone else's residents. When a sociaal werker is deactivated their residents count as
/// unassigned again (<see cref="Caseload.ContactOf"/>) and show up for every sociaal werker to pick up. Every change is audited.
/// </summary>
public sealed class ContactAssignment(Caseload caseload, UserStore users, HubClient hub, AuditLog audit)
{
    /// <returns>The new vast aanspreekpunt.</returns>
    /// <exception cref="UnauthorizedAccessException">The actor may not choose this resident's vast aanspreekpunt.</exception>
    /// <exception cref="ContactAssignmentException">The resident or the chosen person is not valid.</exception>
    public async Task<DashboardUser> AssignAsync(string residentId, string actor, string actorRole, string newContact, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(residentId))
        {
            throw new ContactAssignmentException("Kies een bewoner.");
        }

        var current = caseload.ContactOf(residentId);
        if (actorRole != Roles.SociaalWerker || (current is not null && current != actor))
        {
            throw new UnauthorizedAccessException($"{actor} may not choose the contact person of {residentId}.");
        }

        if (await hub.ResidentAsync(residentId, ct) is null)
        {
            throw new ContactAssignmentException("Deze bewoner bestaat niet (meer).");
        }

        var target = users.Find(newContact);
        if (target is not { Active: true, Role: Roles.SociaalWerker })
        {
            throw new ContactAssignmentException("Kies een actieve sociaal werker als vast aanspreekpunt.");
        }

        if (target.Username != current)
        {
            caseload.Assign(residentId, Roles.SociaalWerker, target.Username);
            audit.Record(actor, actorRole, "vast aanspreekpunt toegewezen", residentId, $"{current ?? "niemand"} -> {target.Username}");
        }

        return target;
    }
}
