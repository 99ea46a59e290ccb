using System.Globalization;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;

namespace HomeSignal.Dashboard.Pages;

public sealed record InstallationLine(HubKit Kit, string? ResidentName);

/// <summary>The installer's start page: kits being installed (with the walk test to continue), then all other kits.</summary>
[Authorize(Policy = AccountsExtensions.Policies.Installation)]
public sealed class InstallatieModel(HubClient hub, LocalClock clock, AuditLog audit) : DashboardPage(audit)
{
    public IReadOnlyList<InstallationLine> Installing { get; private set; } = [];

    public IReadOnlyList<InstallationLine> Others { get; private set; } = [];

    public string Local(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM HH:mm", CultureInfo.GetCultureInfo("nl-NL"));

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            var kits = await hub.KitsAsync(ct);
            // Names only, to recognise the home: an installer never sees a resident's behaviour.
            var names = (await hub.ResidentsAsync(ct)).ToDictionary(r => r.ResidentId, r => r.DisplayName, StringComparer.Ordinal);
            var lines = kits.Select(k => new InstallationLine(k, k.ResidentId is { } id ? names.GetValueOrDefault(id) : null))
                .OrderBy(l => l.Kit.KitId, StringComparer.Ordinal).ToList();
            Installing = [.. lines.Where(l => l.Kit.StageOrLive == KitStages.Installing)];
            Others = [.. lines.Where(l => l.Kit.StageOrLive != KitStages.Installing)];
            Audit("installaties bekeken", null, $"{Installing.Count} in installatie");
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }
    }
}
