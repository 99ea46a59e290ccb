using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HomeSignal.Dashboard.Pages;

public sealed class UitloggenModel(AuditLog audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        audit.Record(User.Name(), User.Role(), "uitgelogd", null);
        await HttpContext.SignOutAsync(AccountsExtensions.Scheme);
        return LocalRedirect("/Inloggen");
    }
}
