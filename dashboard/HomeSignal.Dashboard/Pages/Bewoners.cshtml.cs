using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Consent;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;

namespace HomeSignal.Dashboard.Pages;

public sealed record ResidentLine(HubResident Resident, TrafficLight Light);

/// <summary>The residents this user may open (a nurse: only those who consented to sharing with the nurse).</summary>
[Authorize(Policy = AccountsExtensions.Policies.Residents)]
public sealed class BewonersModel(HubClient hub, ResidentAccess access, TaskStore tasks, AuditLog audit) : DashboardPage(audit)
{
    public IReadOnlyList<ResidentLine> Residents { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            var lines = new List<ResidentLine>();
            foreach (var resident in (await hub.ResidentsAsync(ct)).OrderBy(r => r.DisplayName, StringComparer.CurrentCulture))
            {
                var view = await access.ForAsync(UserRole, resident.ResidentId, ct);
                if (view.MayOpen)
                {
                    lines.Add(new ResidentLine(resident, TrafficLight.For(resident, view, tasks.List(residentId: resident.ResidentId, activeOnly: true))));
                }
            }

            Residents = lines;
            foreach (var line in lines)
            {
                Audit("bewonerslijst bekeken", line.Resident.ResidentId);
            }
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }
    }
}
