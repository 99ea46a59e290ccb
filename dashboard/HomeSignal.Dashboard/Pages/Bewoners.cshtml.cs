using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Consent;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

public sealed record ResidentLine(HubResident Resident, TrafficLight Light);

/// <summary>
/// The residents this user may open: a sociaal werker their own residents (those they are the vast aanspreekpunt of),
/// a nurse those who consented to sharing with the nurse. A sociaal werker also sees, by name only, the residents who
/// have no vast aanspreekpunt yet, so nobody is left unnoticed, and can take them on or give them to a colleague here.
/// </summary>
[Authorize(Policy = AccountsExtensions.Policies.Residents)]
public sealed class BewonersModel(HubClient hub, ResidentAccess access, ContactAssignment assignment, TaskStore tasks, UserStore users, AuditLog audit)
    : DashboardPage(audit)
{
    public IReadOnlyList<ResidentLine> Residents { get; private set; } = [];

    /// <summary>Residents nobody is responsible for: names only, no traffic light, no health data.</summary>
    public IReadOnlyList<HubResident> Unassigned { get; private set; } = [];

    /// <summary>Colleagues (active sociaal werkers other than this user) an unassigned resident can be given to.</summary>
    public IReadOnlyList<DashboardUser> Colleagues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            var lines = new List<ResidentLine>();
            var unassigned = new List<HubResident>();
            foreach (var resident in (await hub.ResidentsAsync(ct)).OrderBy(r => r.DisplayName, StringComparer.CurrentCulture))
            {
                var view = await access.ForAsync(UserName, UserRole, resident.ResidentId, ct);
                if (view.MayOpen)
                {
                    lines.Add(new ResidentLine(resident, TrafficLight.For(resident, view, tasks.List(residentId: resident.ResidentId, activeOnly: true))));
                }
                else if (view.MayTakeOn)
                {
                    unassigned.Add(resident);
                }
            }

            Residents = lines;
            Unassigned = unassigned;
            Colleagues = [.. users.List(Roles.SociaalWerker).Where(u => u.Active && u.Username != UserName)];
            foreach (var line in lines)
            {
                Audit("bewonerslijst bekeken", line.Resident.ResidentId);
            }

            foreach (var resident in unassigned)
            {
                Audit("bewonerslijst bekeken", resident.ResidentId, "niet toegewezen: alleen naam");
            }
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }
    }

    /// <summary>Chooses a resident's vast aanspreekpunt (see <see cref="ContactAssignment"/> for who may).</summary>
    public async Task<IActionResult> OnPostToewijzenAsync(string? id, string? contact, CancellationToken ct)
    {
        try
        {
            var chosen = await assignment.AssignAsync(id ?? string.Empty, UserName, UserRole, contact ?? string.Empty, ct);
            if (chosen.Username == UserName)
            {
                Message = "U bent nu het vaste aanspreekpunt van deze bewoner.";
                return RedirectToPage("/Bewoner", new { id });
            }

            Message = $"{chosen.DisplayName} is nu het vaste aanspreekpunt.";
        }
        catch (UnauthorizedAccessException)
        {
            return Refuse(id, "vast aanspreekpunt kiezen",
                $"{ResidentAccess.NotYours} Alleen het vaste aanspreekpunt kan deze bewoner aan een collega overdragen.");
        }
        catch (ContactAssignmentException e)
        {
            ErrorMessage = e.Message;
        }

        return RedirectToPage();
    }
}
