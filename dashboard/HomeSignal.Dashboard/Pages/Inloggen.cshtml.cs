using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HomeSignal.Dashboard.Pages;

[AllowAnonymous]
public sealed class InloggenModel(UserStore users, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Username { get; set; }

    public bool Failed { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? username, string? password)
    {
        Username = username;
        var user = users.Verify(username ?? string.Empty, password ?? string.Empty);
        if (user is null)
        {
            audit.Record(username ?? "-", "-", "inloggen mislukt", null);
            Failed = true;
            return Page();
        }

        await HttpContext.SignInAsync(AccountsExtensions.Scheme, user.ToPrincipal());
        audit.Record(user.Username, user.Role, "ingelogd", null);
        return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
