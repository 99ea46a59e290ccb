using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HomeSignal.Dashboard.Pages;

/// <summary>Base for the dashboard's pages: who is signed in, auditing, and messages that survive a redirect.</summary>
public abstract class DashboardPage(AuditLog audit) : PageModel
{
    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? ErrorMessage { get; set; }

    /// <summary>Set when the hub could not be reached; the page shows what it can and says so.</summary>
    public string? HubProblem { get; protected set; }

    protected AuditLog AuditTrail => audit;

    protected string UserName => User.Name();

    protected string UserRole => User.Role();

    protected void Audit(string action, string? residentId, string detail = "") => audit.Record(UserName, UserRole, action, residentId, detail);

    /// <summary>
    /// Refuses with 403, audited; <paramref name="reason"/> (Dutch) is shown on the refusal page, which the status-code
    /// middleware renders in the same request, so the reason travels in <see cref="HttpContext.Items"/>.
    /// </summary>
    protected IActionResult Refuse(string? residentId, string detail, string? reason = null)
    {
        Audit("toegang geweigerd", residentId, detail);
        if (reason is not null)
        {
            HttpContext.Items[StatusModel.RefusalReason] = reason;
        }

        return Forbid();
    }

    protected IActionResult BackTo(string? returnUrl, string fallback) =>
        LocalRedirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : fallback);

    protected const string HubDown = "De hub is nu niet bereikbaar. Wat hier staat kan onvolledig zijn; probeer het over een paar minuten opnieuw.";
}
