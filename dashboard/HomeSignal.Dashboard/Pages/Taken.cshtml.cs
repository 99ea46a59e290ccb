using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;

namespace HomeSignal.Dashboard.Pages;

/// <summary>
/// Open tasks this user may act on: for a sociaal werker the tasks of their own residents and the tasks they own (also
/// for other residents); kit maintenance for an installateur.
/// </summary>
[Authorize(Roles = Roles.SociaalWerker + "," + Roles.Installateur)]
public sealed class TakenModel(TaskStore tasks, TaskActions actions, HubClient hub, AuditLog audit) : DashboardPage(audit)
{
    private Dictionary<string, string> names = [];

    public IReadOnlyList<OutreachTask> Open { get; private set; } = [];

    /// <summary>An installateur sees the pseudonymous id only, never the name.</summary>
    public string NameOf(string residentId) => names.TryGetValue(residentId, out var name) ? name : residentId;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Open = [.. tasks.List(activeOnly: true).Where(actions.MayActOn(UserName, UserRole))
            .OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt)];
        if (UserRole == Roles.SociaalWerker)
        {
            try
            {
                names = (await hub.ResidentsAsync(ct)).ToDictionary(r => r.ResidentId, r => r.DisplayName);
            }
            catch (HubUnavailableException)
            {
                HubProblem = HubDown;
            }
        }

        foreach (var task in Open)
        {
            Audit("takenlijst bekeken", task.ResidentId, $"taak {task.Id}");
        }
    }
}
