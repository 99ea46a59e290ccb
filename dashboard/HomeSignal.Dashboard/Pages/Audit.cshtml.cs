using System.Globalization;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

/// <summary>The audit log for the beheerder, with a check of the hash chain.</summary>
[Authorize(Policy = AccountsExtensions.Policies.Admin)]
public sealed class AuditModel(AuditLog audit, LocalClock clock) : DashboardPage(audit)
{
    [BindProperty(SupportsGet = true)]
    public string? Bewoner { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public AuditVerification? Verification { get; private set; }

    public string Local(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM yyyy HH:mm:ss", CultureInfo.GetCultureInfo("nl-NL"));

    public void OnGet()
    {
        Audit("auditlog bekeken", string.IsNullOrWhiteSpace(Bewoner) ? null : Bewoner);
        Verification = AuditTrail.Verify();
        Entries = AuditTrail.Recent(300, string.IsNullOrWhiteSpace(Bewoner) ? null : Bewoner.Trim());
    }
}
