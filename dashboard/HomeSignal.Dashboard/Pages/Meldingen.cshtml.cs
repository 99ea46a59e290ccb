using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

public sealed record MeldingLine(OutreachTask Task, string Name, string? Phone, string Since);

/// <summary>
/// Open urgent meldingen, refreshed by polling the list handler. A nurse sees the meldingen for nurses; a sociaal werker
/// those of their own residents and those given to them.
/// </summary>
[Authorize(Policy = AccountsExtensions.Policies.Meldingen)]
public sealed class MeldingenModel(TaskStore tasks, TaskActions actions, HubClient hub, LocalClock clock, PollingViews polling, AuditLog audit) : DashboardPage(audit)
{
    public IReadOnlyList<MeldingLine> Meldingen { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(polled: false, ct);

    public async Task<IActionResult> OnGetLijstAsync(CancellationToken ct)
    {
        await LoadAsync(polled: true, ct);
        return Partial("_MeldingenLijst", this);
    }

    private async Task LoadAsync(bool polled, CancellationToken ct)
    {
        var open = tasks.List(kind: TaskKinds.UrgentMelding, activeOnly: true)
            .Where(actions.MayActOn(UserName, UserRole))
            .OrderBy(t => t.CreatedAt).ToList();
        Dictionary<string, HubResident> residents = [];
        try
        {
            residents = (await hub.ResidentsAsync(ct)).ToDictionary(r => r.ResidentId);
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }

        Meldingen = [.. open.Select(t => new MeldingLine(t,
            residents.TryGetValue(t.ResidentId, out var r) ? r.DisplayName : t.ResidentId,
            residents.TryGetValue(t.ResidentId, out var p) ? p.Phone : null,
            clock.ToLocal(t.CreatedAt).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)))];
        foreach (var line in Meldingen.Where(l => polling.FirstTime(UserName, $"melding {l.Task.Id}") || !polled))
        {
            Audit("meldingen bekeken", line.Task.ResidentId, $"taak {line.Task.Id}");
        }
    }
}
