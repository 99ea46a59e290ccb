using HomeSignal.Dashboard.Accounts;
using HomeSignal.Hub.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeSignal.EndToEnd.Tests.Installation;

/// <summary>
/// The real hub (<see cref="Hub.Program.Build"/>, embedded broker, SQLite) and the real dashboard
/// (<see cref="Dashboard.Program.Build"/>) in one process on free ports, with one installateur and one sociaal werker.
/// </summary>
public sealed class InstallationSystem : IAsyncDisposable
{
    public const string Password = "Wachtwoord-voor-de-installatietest";

    private InstallationSystem(TestHub hub, WebApplication dashboard, string dashboardUrl, string dataPath)
    {
        Hub = hub;
        Dashboard = dashboard;
        DashboardUrl = dashboardUrl;
        DataPath = dataPath;
    }

    public TestHub Hub { get; }

    public WebApplication Dashboard { get; }

    /// <summary>Without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string DashboardUrl { get; }

    public string DataPath { get; }

    /// <summary>What the kit's label QR points at: the dashboard's enrolment page.</summary>
    public string EnrolUrl => DashboardUrl + "/Installatie/Aanmelden";

    public static async Task<InstallationSystem> StartAsync()
    {
        var hub = await TestHub.StartAsync(new Dictionary<string, string?>
        {
            // Kits in claim mode poll at once and often, so the test does not wait out a real installation's pace.
            ["Provisioning:MinPollInterval"] = "00:00:00",
            ["Provisioning:PollInterval"] = "00:00:01",
        });
        var dataPath = Directory.CreateTempSubdirectory("hs-e2e-dashboard-").FullName;
        var dashboard = HomeSignal.Dashboard.Program.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hub:BaseUrl"] = hub.Http.BaseAddress!.ToString(),
                ["Hub:ApiKey"] = TestHub.ApiKey,
                ["Dashboard:DataPath"] = dataPath,
                ["Outreach:Worker"] = "false",
            });
        });
        var users = dashboard.Services.GetRequiredService<UserStore>();
        users.Create("ivo", "Ivo Installateur", Roles.Installateur, Password);
        users.Create("sanne", "Sanne Peters", Roles.SociaalWerker, Password);
        await dashboard.StartAsync();
        var url = dashboard.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InstallationSystem(hub, dashboard, url.TrimEnd('/'), dataPath);
    }

    public async ValueTask DisposeAsync()
    {
        await Dashboard.StopAsync();
        await Dashboard.DisposeAsync();
        await Hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder never fails a test.
        }
    }
}
