using System.Security.Claims;

namespace HomeSignal.Dashboard.Accounts;

/// <summary>Reads the signed-in user's name and role from the cookie's claims.</summary>
public static class CurrentUser
{
    public static string Name(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? string.Empty;

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? string.Empty;

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue("display_name") ?? user.Name();

    public static ClaimsPrincipal ToPrincipal(this DashboardUser user) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, user.Username), new Claim(ClaimTypes.Role, user.Role), new Claim("display_name", user.DisplayName)],
        AccountsExtensions.Scheme));
}
