using System.Net;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Tests.Infrastructure;
using HomeSignal.Demo;
using HomeSignal.Hub.Storage;
using Eventually = HomeSignal.Hub.Tests.Support.Eventually;

namespace HomeSignal.EndToEnd.Tests;

/// <summary>The demo as a new user starts it: the whole system in one process, with simulated history and live kits.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_starts_everything_and_live_kit_events_reach_the_hub_soon_after_start()
    {
        using var output = new StringWriter();
        await using var demo = await StartUpToDashboardAsync("hs-demo-", historyDays: 21, output);
        var started = DateTimeOffset.UtcNow;
        await demo.StartLiveKitsAsync(CancellationToken.None);
        await demo.StartWaitingKitAsync(CancellationToken.None);

        // Every live kit's first events (its boot, the resident moving) are stored by the hub.
        await Eventually.TrueAsync(async () =>
        {
            var recent = await demo.HubEvents.QueryEventsAsync(new EventQuery { From = started.AddMinutes(-1), Limit = 1000 }, CancellationToken.None);
            return demo.LiveKitIds.All(kit => recent.Any(e => e.KitId == kit && e.ReceivedAt >= started));
        }, "events of every live demo kit reach the hub", TimeSpan.FromSeconds(30));

        // The dashboard answers (its log-in page), and a log-in exists for every role.
        using var http = new HttpClient { BaseAddress = demo.DashboardUrl };
        var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(5, demo.Users.Select(u => u.Role).Distinct().Count());
        Assert.Contains("Mevrouw Jansen", output.ToString(), StringComparison.Ordinal);
        // One new kit waits to be installed: its claim code and label are printed.
        Assert.Contains($"claimcode {demo.Waiting!.ClaimCode}", output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(demo.Waiting.LabelPath));
    }

    [Fact]
    public async Task After_the_demos_history_replay_Meneer_de_Boers_slow_decline_is_a_signal_staff_see_and_volunteers_never_read_wegkwijnen()
    {
        using var output = new StringWriter();
        await using var demo = await StartUpToDashboardAsync("hs-demo-decline-", DemoOptions.DefaultHistoryDays, output);

        // The nightly pass over the replayed history raised a slow-decline signal for him (the demo may start any day of
        // the year: his change in movement about the home does not depend on the season).
        var now = DateTimeOffset.UtcNow;
        var deBoer = demo.ResidentIdOf("Meneer de Boer");
        var signals = await demo.HubSignals.ForResidentAsync(deBoer, now.AddDays(-DemoOptions.DefaultHistoryDays), now.AddDays(1), CancellationToken.None);
        var decline = signals.Where(s => s.Kind.StartsWith("decline-", StringComparison.Ordinal)).ToList();
        Assert.True(decline.Count > 0, $"no decline signal for Meneer de Boer; his signals: {string.Join(", ", signals.Select(s => s.Kind))}");
        Assert.Contains(decline, s => s.Kind is "decline-movement" or "decline-outings");

        // The sociaal werker and the wijkverpleegkundige see it on his page, with its explanation.
        foreach (var role in new[] { Roles.SociaalWerker, Roles.Wijkverpleegkundige })
        {
            using var staff = await SignInAsync(demo, role);
            using var response = await staff.GetAsync(new Uri($"/Bewoner/{deBoer}", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} opening his page got {(int)response.StatusCode} {response.Headers.Location}");
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains("Meneer de Boer", page, StringComparison.Ordinal);
            Assert.Contains(decline, s => page.Contains(System.Net.WebUtility.HtmlEncode(s.Title), StringComparison.Ordinal));
        }

        // His volunteer calls him on the belronde: her pages show him, never the word "wegkwijnen", and not his history.
        using var volunteer = await SignInAsync(demo, Roles.Vrijwilliger, "anna");
        var round = await volunteer.GetStringAsync(new Uri("/Belronde", UriKind.Relative));
        Assert.Contains("Meneer de Boer", round, StringComparison.Ordinal);
        foreach (var path in new[] { "/", "/Belronde" })
        {
            Assert.DoesNotContain("wegkwijn", await FollowAsync(volunteer, path), StringComparison.OrdinalIgnoreCase);
        }

        using var history = await volunteer.GetAsync(new Uri($"/Bewoner/{deBoer}", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, history.StatusCode);
        var body = await history.Content.ReadAsStringAsync();
        Assert.DoesNotContain("wegkwijn", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(decline, s => body.Contains(System.Net.WebUtility.HtmlEncode(s.Title), StringComparison.Ordinal));
    }

    /// <summary>The page a user ends up on (the start page sends each role to its own), at most a few redirects on.</summary>
    private static async Task<string> FollowAsync(HttpClient client, string path)
    {
        for (var hops = 0; hops < 5; hops++)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } next)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadAsStringAsync();
            }

            path = next.OriginalString;
        }

        throw new Xunit.Sdk.XunitException($"{path} keeps redirecting.");
    }

    private static async Task<HttpClient> SignInAsync(DemoSystem demo, string role, string? username = null)
    {
        var user = demo.Users.First(u => u.Role == role && (username is null || u.Username == username));
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = demo.DashboardUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        using var response = await DashboardHost.PostFormAsync(client, "/Inloggen", "/Inloggen", new() { ["username"] = user.Username, ["password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The demo as it starts, up to its dashboard: the hub, the residents with their replayed history, and the nightly detection pass.</summary>
    private static async Task<DemoSystem> StartUpToDashboardAsync(string prefix, int historyDays, TextWriter output)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        var demo = new DemoSystem(new DemoOptions(dir, HubPort: 0, DashboardPort: 0, HistoryDays: historyDays, FailingKitRunsFor: TimeSpan.FromMinutes(10)), output);
        try
        {
            await demo.StartHubAsync(CancellationToken.None);
            await demo.SeedResidentsAsync(CancellationToken.None);
            await demo.RunDetectionAsync(CancellationToken.None);
            await demo.StartDashboardAsync(CancellationToken.None);
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }
}
