using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

/// <summary>One task: what it is about, its evidence, its history; and the actions on it. Checked per object.</summary>
[Authorize(Policy = AccountsExtensions.Policies.Tasks)]
public sealed class TaakModel(TaskStore tasks, TaskActions actions, HubClient hub, UserStore users, LocalClock clock, AuditLog audit) : DashboardPage(audit)
{
    /// <summary>Who this task may be given to (for a sociaal werker): active users of the task's role.</summary>
    public IReadOnlyList<DashboardUser> Candidates { get; private set; } = [];

    public OutreachTask? Task { get; private set; }

    public string ResidentName { get; private set; } = "bewoner";

    public string? Phone { get; private set; }

    public IReadOnlyList<TaskSignal> Signals { get; private set; } = [];

    public IReadOnlyList<TaskLogEntry> Log { get; private set; } = [];

    /// <summary>Evidence (sensor details) is for staff, not for volunteers or installers.</summary>
    public bool ShowEvidence => UserRole is Roles.SociaalWerker or Roles.Wijkverpleegkundige;

    public string ReturnUrl => $"/Taak/{Task?.Id}";

    public string Local(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM HH:mm", System.Globalization.CultureInfo.GetCultureInfo("nl-NL"));

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        Task = tasks.Get(id);
        if (Task is null)
        {
            return NotFound();
        }

        if (!actions.MayActOn(UserName, UserRole)(Task))
        {
            return Refuse(Task.ResidentId, $"taak {id}", UserRole == Roles.SociaalWerker
                ? "Deze taak is niet aan u gegeven en gaat niet over een bewoner van wie u het vaste aanspreekpunt bent."
                : null);
        }

        Signals = tasks.Signals(id);
        Candidates = UserRole == Roles.SociaalWerker && TaskStatuses.IsActive(Task.Status) ? [.. users.List(Task.OwnerRole).Where(u => u.Active)] : [];
        // Volunteers' private notes are not for the nurse.
        Log = [.. tasks.LogOf(id).Where(e => e.Kind != "note" || UserRole != Roles.Wijkverpleegkundige || e.ActorRole != Roles.Vrijwilliger)];
        try
        {
            if (UserRole != Roles.Installateur && await hub.ResidentAsync(Task.ResidentId, ct) is { } resident)
            {
                ResidentName = resident.DisplayName;
                Phone = resident.Phone;
            }
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }

        Audit("taak bekeken", Task.ResidentId, $"taak {id}");
        return Page();
    }

    public async Task<IActionResult> OnPostUitkomstAsync(long id, string outcome, string? reasonCode, string? note, string? returnUrl, CancellationToken ct) =>
        await ActAsync(id, returnUrl, async () =>
        {
            var followUp = await actions.RecordOutcomeAsync(id, UserName, UserRole, outcome, reasonCode, note, ct);
            Message = followUp is null
                ? $"Uitkomst “{Dutch.Outcome(outcome)}” vastgelegd."
                : $"Uitkomst “{Dutch.Outcome(outcome)}” vastgelegd. Er is een melding gemaakt zodat iemand contact opneemt.";
        });

    public Task<IActionResult> OnPostOppakkenAsync(long id) => ActAsync(id, null, () =>
    {
        actions.PickUp(id, UserName, UserRole);
        Message = "U heeft deze taak opgepakt.";
        return System.Threading.Tasks.Task.CompletedTask;
    });

    public Task<IActionResult> OnPostSluitenAsync(long id) => ActAsync(id, null, () =>
    {
        actions.Close(id, UserName, UserRole);
        Message = "Taak afgehandeld.";
        return System.Threading.Tasks.Task.CompletedTask;
    });

    public Task<IActionResult> OnPostToewijzenAsync(long id, string? owner) => ActAsync(id, null, () =>
    {
        actions.Reassign(id, UserName, UserRole, owner ?? string.Empty, users);
        Message = $"Taak toegewezen aan {owner}.";
        return System.Threading.Tasks.Task.CompletedTask;
    });

    public Task<IActionResult> OnPostNotitieAsync(long id, string? text) => ActAsync(id, null, () =>
    {
        actions.AddNote(id, UserName, UserRole, text ?? string.Empty);
        Message = "Notitie opgeslagen.";
        return System.Threading.Tasks.Task.CompletedTask;
    });

    private async Task<IActionResult> ActAsync(long id, string? returnUrl, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (UnauthorizedAccessException)
        {
            Audit("actie geweigerd", tasks.Get(id)?.ResidentId, $"taak {id}");
            return Forbid();
        }
        catch (TaskActionException e)
        {
            ErrorMessage = e.Message;
        }

        return BackTo(returnUrl, $"/Taak/{id}");
    }
}
