using System.Net;
using System.Text.Json;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Tests.Infrastructure;
using HomeSignal.Demo;
using HomeSignal.Hub.Storage;
using Eventually = HomeSignal.Hub.Tests.Support.Eventually;

namespace HomeSignal.EndToEnd.Tests;

/// <summary>The demo's waiting kit: its code is printed, and an installer enrols it and walks it with the simulated hand.</summary>
public sealed class DemoInstallationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_demo_prints_the_waiting_kits_code_and_an_installer_enrols_walk_tests_with_the_simulated_hand_and_goes_live()
    {
        var dir = Directory.CreateTempSubdirectory("hs-demo-install-").FullName;
        var options = new DemoOptions(dir, HubPort: 0, DashboardPort: 0, HistoryDays: 14, FailingKitRunsFor: TimeSpan.FromMinutes(10), HandDelay: TimeSpan.FromSeconds(1));
        var text = new StringWriter();
        var output = TextWriter.Synchronized(text);
        string Printed()
        {
            lock (output)
            {
                return text.ToString();
            }
        }

        await using var demo = new DemoSystem(options, output);
        await demo.StartHubAsync(CancellationToken.None);
        await demo.StartDashboardAsync(CancellationToken.None);
        await demo.StartWaitingKitAsync(CancellationToken.None);
        var kit = demo.Waiting!;
        Assert.Contains($"claimcode {kit.ClaimCode}", Printed(), StringComparison.Ordinal);
        Assert.Contains(kit.LabelPath, Printed(), StringComparison.Ordinal);
        Assert.True(File.Exists(kit.LabelPath));
        Assert.Equal($"{demo.EnrolUrl}?code={kit.ClaimCode}", kit.EnrolmentLink);

        using var stop = new CancellationTokenSource();
        var running = demo.RunAsync(stop.Token);
        try
        {
            using var installer = await SignInAsync(demo);
            var enrolPage = "/Installatie/Aanmelden?code=" + kit.ClaimCode;
            using var enrolled = await DashboardHost.PostFormAsync(installer, enrolPage, "/Installatie/Aanmelden", new()
            {
                ["ResidentId"] = "nieuw", ["NewName"] = "Meneer T. Nieuw", ["Monitoring"] = "true", ["Belronde"] = "true",
                ["ConsentDate"] = DateOnly.FromDateTime(DateTime.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["AskedBy"] = "Ivo Janssen", ["Code"] = kit.ClaimCode,
            });
            Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
            var page = enrolled.Headers.Location!.OriginalString;
            Assert.StartsWith("/Installatie/Looptest/", page, StringComparison.Ordinal);

            await UntilAsync(installer, page, s => s.GetProperty("connected").GetBoolean(), "the waiting kit collected its credentials and connected", Printed);
            // The hand's first touch (the shut door, read as open by the miswired kit) must reach the hub before the walk
            // test starts, as it does when a person clicks "Looptest starten" a few seconds later.
            var kitId = page["/Installatie/Looptest/".Length..];
            await Eventually.TrueAsync(async () =>
            {
                var events = await demo.HubEvents.QueryEventsAsync(new EventQuery { KitIds = [kitId], Limit = 100 }, CancellationToken.None);
                return events.Any(e => e.SensorId == "door-front" && e.State == "open");
            }, "the miswired door's first reading reached the hub", Patience);
            using var started = await DashboardHost.PostFormAsync(installer, page, page + "?handler=Starten", []);
            await UntilAsync(installer, page, s => Door(s).GetProperty("problem").GetString() == "inverted", "the hand's door shows up inverted", Printed);
            await Eventually.TrueAsync(() => Printed().Contains("omgewisseld", StringComparison.Ordinal), "the hand swapped the reed", Patience);
            using var retry = await DashboardHost.PostFormAsync(installer, page, page + "?handler=Opnieuw", new() { ["sensorId"] = "door-front" });
            await UntilAsync(installer, page, s => s.GetProperty("passed").GetBoolean(), "the hand walked every sensor", Printed);
            using var live = await DashboardHost.PostFormAsync(installer, page, page + "?handler=LiveZetten", []);
            await UntilAsync(installer, page, s => s.GetProperty("learning").GetString() == "leren: dag 1 van 14", "the kit is live and learning", Printed);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static JsonElement Door(JsonElement stand) =>
        stand.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("sensorId").GetString() == "door-front");

    private static async Task<HttpClient> SignInAsync(DemoSystem demo)
    {
        var ivo = demo.Users.Single(u => u.Role == Roles.Installateur);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = demo.DashboardUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        using var response = await DashboardHost.PostFormAsync(client, "/Inloggen", "/Inloggen", new() { ["username"] = ivo.Username, ["password"] = ivo.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Waits on the walk-test page's state; a timeout says what the page and the demo's hand last showed.</summary>
    private static async Task UntilAsync(HttpClient installer, string page, Func<JsonElement, bool> condition, string what, Func<string> printed)
    {
        var last = string.Empty;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                last = await installer.GetStringAsync(page + "?handler=Stand");
                return condition(JsonSerializer.Deserialize<JsonElement>(last));
            }, what, Patience);
        }
        catch (Xunit.Sdk.FailException)
        {
            var hand = printed().Split('\n').Where(l => l.Contains("Demo-hand", StringComparison.Ordinal));
            Assert.Fail($"Timed out waiting until {what}.\nLast walk-test state: {last}\nThe demo's hand said:\n{string.Join('\n', hand)}");
        }
    }
}
