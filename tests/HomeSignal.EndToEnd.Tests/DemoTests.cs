using System.Net;
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
        var dir = Directory.CreateTempSubdirectory("hs-demo-").FullName;
        var options = new DemoOptions(dir, HubPort: 0, DashboardPort: 0, HistoryDays: 21, FailingKitRunsFor: TimeSpan.FromMinutes(10));
        using var output = new StringWriter();
        await using var demo = new DemoSystem(options, output);

        await demo.StartHubAsync(CancellationToken.None);
        await demo.SeedResidentsAsync(CancellationToken.None);
        await demo.RunDetectionAsync(CancellationToken.None);
        await demo.StartDashboardAsync(CancellationToken.None);
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
}
