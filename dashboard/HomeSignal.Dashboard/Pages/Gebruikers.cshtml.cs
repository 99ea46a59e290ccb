using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace HomeSignal.Dashboard.Pages;

/// <summary>The beheerder creates accounts; there are no default ones.</summary>
[Authorize(Policy = AccountsExtensions.Policies.Admin)]
public sealed class GebruikersModel(UserStore users, AuditLog audit) : DashboardPage(audit)
{
    public IReadOnlyList<DashboardUser> Users { get; private set; } = [];

    public void OnGet() => Users = users.List();

    public IActionResult OnPostDeactiveren(string username)
    {
        if (username == UserName)
        {
            ErrorMessage = "U kunt uzelf niet deactiveren.";
        }
        else if (users.Deactivate(username))
        {
            Audit("gebruiker gedeactiveerd", null, username);
            Message = $"{username} kan niet meer inloggen; open taken gaan naar de volgende in de rij.";
        }

        return RedirectToPage();
    }

    public IActionResult OnPost(string username, string displayName, string role, string? email, string password)
    {
        try
        {
            var user = users.Create(username, displayName, role, password, email);
            Audit("gebruiker aangemaakt", null, $"{user.Username} ({user.Role})");
            Message = $"Gebruiker {user.Username} aangemaakt.";
        }
        catch (ArgumentException e)
        {
            ErrorMessage = e.Message.Split(" (Parameter")[0];
        }

        return RedirectToPage();
    }
}
