using HomeSignal.Dashboard.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HomeSignal.Dashboard.Pages;

/// <summary>Sends each role to where its work is.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(User.Role() switch
    {
        Roles.Vrijwilliger => "/Belronde",
        Roles.Wijkverpleegkundige => "/Meldingen",
        Roles.SociaalWerker => "/Bewoners",
        Roles.Installateur => "/Installatie",
        Roles.Beheerder => "/Audit",
        _ => "/Inloggen",
    });
}
