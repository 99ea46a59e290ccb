using System.Net;
using System.Text.RegularExpressions;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Outreach;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard hosted in-process through <see cref="Program.Build"/> on 127.0.0.1 with a free port, against the hub
/// stand-in and the SMTP recorder, with a fake clock at <see cref="HubSeed.Morning"/> and one user per role.
/// </summary>
public sealed partial class DashboardHost : IAsyncDisposable
{
    public const string Password = "Wachtwoord-voor-test-1";

    private DashboardHost(WebApplication app, FakeHub hub, SmtpRecorder smtp, WebhookRecorder webhook, FakeTimeProvider time, string dataPath, string url)
    {
        Webhook = webhook;
        App = app;
        Hub = hub;
        Smtp = smtp;
        Time = time;
        DataPath = dataPath;
        Url = url;
    }

    public WebApplication App { get; }
    public FakeHub Hub { get; }
    public SmtpRecorder Smtp { get; }
    public WebhookRecorder Webhook { get; }
    public FakeTimeProvider Time { get; }
    public string DataPath { get; }
    public string Url { get; }

    public OutreachPlanner Planner => App.Services.GetRequiredService<OutreachPlanner>();
    public TaskStore Tasks => App.Services.GetRequiredService<TaskStore>();
    public TaskActions Actions => App.Services.GetRequiredService<TaskActions>();

    public static async Task<DashboardHost> StartAsync(bool morningSignals = true, DateTimeOffset? start = null, bool worker = false)
    {
        var hub = await FakeHub.StartAsync();
        HubSeed.Apply(hub);
        if (morningSignals)
        {
            HubSeed.MorningSignals(hub);
        }

        var smtp = new SmtpRecorder();
        var webhook = await WebhookRecorder.StartAsync();
        var time = new FakeTimeProvider(start ?? HubSeed.Morning);
        hub.Now = time.GetUtcNow;
        var dataPath = Path.Combine(Path.GetTempPath(), "homesignal-dashboard-" + Guid.NewGuid().ToString("N"));
        var app = Program.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hub:BaseUrl"] = hub.BaseUrl,
                ["Hub:ApiKey"] = FakeHub.ApiKey,
                ["Dashboard:DataPath"] = dataPath,
                ["Dashboard:PublicUrl"] = "http://dashboard.test",
                ["Outreach:Worker"] = worker ? "true" : "false",
                ["Smtp:Host"] = "127.0.0.1",
                ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Smtp:Security"] = "None",
                ["Smtp:From"] = "homesignal@dashboard.test",
                ["Notifications:WebhookUrl"] = webhook.Url,
            });
            builder.Services.AddSingleton<TimeProvider>(time);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new DashboardHost(app, hub, smtp, webhook, time, dataPath, url);
        host.SeedUsers();
        return host;
    }

    /// <summary>One user per role (two volunteers and two nurses for ownership and escalation), and their caseloads.</summary>
    private void SeedUsers()
    {
        var users = App.Services.GetRequiredService<UserStore>();
        users.Create("anna", "Anna de Wit", Roles.Vrijwilliger, Password);
        users.Create("bert", "Bert Kok", Roles.Vrijwilliger, Password);
        users.Create("carla", "Carla Peters", Roles.SociaalWerker, Password, "carla@dashboard.test");
        users.Create("dirk", "Dirk Vos", Roles.Wijkverpleegkundige, Password, "dirk@dashboard.test");
        users.Create("eva", "Eva Smeets", Roles.Wijkverpleegkundige, Password, "eva@dashboard.test");
        users.Create("frank", "Frank Hoek", Roles.Installateur, Password);
        users.Create("greet", "Greet Lam", Roles.Beheerder, Password);
        var caseload = App.Services.GetRequiredService<Caseload>();
        caseload.Assign(HubSeed.Jansen, Roles.Vrijwilliger, "anna");
        caseload.Assign(HubSeed.Visser, Roles.Vrijwilliger, "anna");
        caseload.Assign(HubSeed.DeVries, Roles.Vrijwilliger, "bert");
        caseload.Assign(HubSeed.Jansen, Roles.Wijkverpleegkundige, "dirk");
        caseload.Assign(HubSeed.Bakker, Roles.Wijkverpleegkundige, "dirk");
        // Carla is the vast aanspreekpunt of everyone but Visser, who has none yet (the "niet toegewezen" case).
        foreach (var resident in new[] { HubSeed.Jansen, HubSeed.DeVries, HubSeed.Bakker, HubSeed.Smit, HubSeed.Mulder })
        {
            caseload.Assign(resident, Roles.SociaalWerker, "carla");
        }

        caseload.AddToDailyRound(HubSeed.Visser, "Laat 's nachts de deur open uit angst niet gevonden te worden; belt graag even.", "carla");
    }

    /// <summary>An HTTP client with its own cookie jar, signed in as <paramref name="username"/>.</summary>
    public async Task<HttpClient> SignInAsync(string username)
    {
        var client = Client();
        using var response = await PostFormAsync(client, "/Inloggen", "/Inloggen", new() { ["username"] = username, ["password"] = Password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {username} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    public HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(Url),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Gets <paramref name="pagePath"/> for its antiforgery token, then posts the form to <paramref name="actionPath"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pagePath, string actionPath, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(pagePath);
        var token = TokenPattern().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {pagePath}.");
        }

        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(actionPath, content);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Hub.DisposeAsync();
        await Smtp.DisposeAsync();
        await Webhook.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
