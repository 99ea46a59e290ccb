using System.Globalization;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;

namespace HomeSignal.Dashboard.Pages;

/// <summary>Kit health (online/offline, last seen, stale sensors, outbox depth). No behaviour and no names.</summary>
[Authorize(Policy = AccountsExtensions.Policies.Kits)]
public sealed class KitsModel(HubClient hub, LocalClock clock, AuditLog audit) : DashboardPage(audit)
{
    public IReadOnlyList<HubKit> Kits { get; private set; } = [];

    public string Local(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM HH:mm", CultureInfo.GetCultureInfo("nl-NL"));

    public static string StatusText(string status) => status switch
    {
        "online" => "online",
        "offline" => "offline",
        "never-seen" => "nog nooit gezien",
        "revoked" => "ingetrokken",
        _ => status,
    };

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Kits = [.. (await hub.KitsAsync(ct)).OrderBy(k => k.Status == "online").ThenBy(k => k.KitId, StringComparer.Ordinal)];
            Audit("kits bekeken", null, $"{Kits.Count} kits");
        }
        catch (HubUnavailableException)
        {
            HubProblem = HubDown;
        }
    }
}
