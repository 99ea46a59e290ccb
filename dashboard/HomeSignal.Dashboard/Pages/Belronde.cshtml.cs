using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;

namespace HomeSignal.Dashboard.Pages;

/// <summary>Today's belronde. A vrijwilliger sees only their own round; a sociaal werker the calls to the residents they are responsible for.</summary>
[Authorize(Policy = AccountsExtensions.Policies.Belronde)]
public sealed class BelrondeModel(BelrondeList belronde, TaskActions actions, AuditLog audit) : DashboardPage(audit)
{
    public BelrondeDay? Day { get; private set; }

    public const string ReturnPath = "/Belronde";

    public bool ShowOwner => UserRole == Roles.SociaalWerker;

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            var day = await belronde.ForAsync(UserRole == Roles.Vrijwilliger ? UserName : null, ct);
            // A sociaal werker sees the calls to their own residents (and any given to them), not the whole round.
            var mayAct = actions.MayActOn(UserName, UserRole);
            Day = UserRole == Roles.SociaalWerker ? day with { Lines = [.. day.Lines.Where(l => mayAct(l.Task))] } : day;
            HubProblem = Day.HubUnavailable ? HubDown : null;
            foreach (var line in Day.Lines)
            {
                Audit("belronde bekeken", line.Task.ResidentId, $"taak {line.Task.Id}");
            }
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }
    }
}
