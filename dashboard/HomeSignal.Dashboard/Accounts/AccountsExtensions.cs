using HomeSignal.Dashboard.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Accounts;

public static class AccountsExtensions
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Policies by task, so pages state what they are for rather than listing roles.</summary>
    public static class Policies
    {
        public const string Belronde = nameof(Belronde);
        public const string Meldingen = nameof(Meldingen);
        public const string Residents = nameof(Residents);
        public const string Tasks = nameof(Tasks);
        public const string Kits = nameof(Kits);
        public const string Installation = nameof(Installation);
        public const string Admin = nameof(Admin);
    }

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserStore>();
        // Cookie and antiforgery keys live beside the data (0700), so sign-ins survive a restart and stay on this machine.
        builder.Services.AddDataProtection().SetApplicationName("HomeSignal.Dashboard");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IOptions<DashboardOptions>, ILoggerFactory>((keys, dashboard, logs) =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(dashboard.Value.DataPath, "keys"));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            keys.XmlRepository = new FileSystemXmlRepository(folder, logs);
        });
        builder.Services.AddAuthentication(Scheme).AddCookie(options =>
        {
            options.LoginPath = "/Inloggen";
            options.LogoutPath = "/Uitloggen";
            options.Cookie.Name = "homesignal";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.SlidingExpiration = true;
            // A user who was deactivated, or whose role changed, loses the session at the next request.
            options.Events.OnValidatePrincipal = async context =>
            {
                var user = context.HttpContext.RequestServices.GetRequiredService<UserStore>().Find(context.Principal?.Name() ?? string.Empty);
                if (user is null || !user.Active || user.Role != context.Principal!.Role())
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
            // A refused page is a plain 403 (rendered in Dutch by the status page), not a redirect.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Belronde, p => p.RequireRole(Roles.Vrijwilliger, Roles.SociaalWerker))
            .AddPolicy(Policies.Meldingen, p => p.RequireRole(Roles.Wijkverpleegkundige, Roles.SociaalWerker))
            .AddPolicy(Policies.Residents, p => p.RequireRole(Roles.Wijkverpleegkundige, Roles.SociaalWerker))
            .AddPolicy(Policies.Tasks, p => p.RequireRole(Roles.SociaalWerker, Roles.Installateur, Roles.Wijkverpleegkundige, Roles.Vrijwilliger))
            .AddPolicy(Policies.Kits, p => p.RequireRole(Roles.Installateur, Roles.SociaalWerker, Roles.Beheerder))
            .AddPolicy(Policies.Installation, p => p.RequireRole(Roles.Installateur))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Beheerder));
        return builder;
    }
}
