using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeSignal.Dashboard.Tests.Browser;
using HomeSignal.Edge.Provisioning;
using HomeSignal.Edge.Sensors;
using HomeSignal.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Eventually = HomeSignal.Hub.Tests.Support.Eventually;

namespace HomeSignal.EndToEnd.Tests.Installation;

/// <summary>
/// Issue #7 in a real browser: a real edge kit in claim mode (simulated GPIO) prints its label; the installer, signed in to
/// the real dashboard on the real hub, creates the bewoner, records toestemming, enters the code, walks the sensors —
/// the front door wired the wrong way round is caught and explained, rewired and retried — goes live, and sees the
/// learning day. The same code entered again is refused. Then the resident stops: consent withdrawn, all data deleted.
/// </summary>
public sealed partial class InstallerFlowTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_installer_enrols_a_claiming_kit_catches_an_inverted_door_in_the_walk_test_goes_live_and_cannot_reuse_the_code()
    {
        await using var system = await InstallationSystem.StartAsync();
        using var kitDirectory = new TempDirectory();
        var settings = ClaimKits.Settings(kitDirectory.Path, system);
        settings["Gpio:Sensors:0:Contact"] = "NormallyClosed"; // door-front: the installer set the wrong reed type
        using var kit = await TestKits.StartAsync(settings);

        // The label: a PNG with the QR code, and the code in text.
        var code = await ReadLabelAsync(kitDirectory.Path);
        output.WriteLine($"Claim code on the label: {code}");
        await Eventually.TrueAsync(async () => (await system.Hub.Http.GetAsync($"/api/claims/{code}")).IsSuccessStatusCode,
            "the kit in claim mode has reported its code to the hub", Patience);

        // The installer scans the QR code: the enrolment page opens with the code, after signing in.
        var page = await chromium.NewPageAsync(phone: true);
        await page.GotoAsync($"{system.EnrolUrl}?code={code}");
        await SignInAsync(page, "ivo");
        await Assertions.Expect(page.GetByLabel("Claimcode (staat op het label, bijvoorbeeld ABCD-EFGH-JK)")).ToHaveValueAsync(code);
        await page.GetByLabel("Bij wie wordt de kit geplaatst?").SelectOptionAsync(new SelectOptionValue { Label = "Nieuwe bewoner" });
        await page.GetByLabel("Naam nieuwe bewoner").FillAsync("Mevrouw G. de Boer");
        await page.GetByLabel("Telefoonnummer nieuwe bewoner (mag leeg)").FillAsync("010-9876543");
        await page.GetByLabel("Vindt u het goed dat de sensoren uw dagritme volgen? (monitoring)").CheckAsync();
        await page.GetByLabel("Vindt u het goed dat de wijkverpleegkundige meekijkt bij zorgen?").CheckAsync();
        await page.GetByLabel("Vindt u het goed dat een vrijwilliger van de belronde u belt?").CheckAsync();
        output.WriteLine(await Chromium.ScreenshotAsync(page, "e2e-1-kit-aanmelden"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Kit aanmelden" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Looptest" })).ToBeVisibleAsync();
        var kitId = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        // The kit collects its credentials and connects; the page notices by itself.
        await Assertions.Expect(page.Locator("#looptest-starten")).ToBeEnabledAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        // Claim mode started the kit proper in-process with its enrolment; its simulated pins are the test's hands.
        var enrolled = await kit.Services.GetRequiredService<KitLauncher>().Started.WaitAsync(Patience);
        var gpio = enrolled.Services.GetRequiredService<SimulatedGpioDriver>();
        var injector = enrolled.Injector();
        var door = new ReedContact(gpio, PinOf(enrolled, "door-front"));
        // The door is shut; the miswired kit reads that as open. This happens before the walk test, like plugging in.
        door.Shut();
        await HubSawAsync(system, kitId, "door-front", "open");

        await page.Locator("#looptest-starten").ClickAsync();
        var doorStep = Step(page, "door-front");
        await Assertions.Expect(doorStep.Locator(".status")).ToHaveTextAsync("nu doen");
        door.Open();
        await Assertions.Expect(doorStep.Locator(".probleem")).ToContainTextAsync("omgekeerd aangesloten");
        await Assertions.Expect(doorStep.GetByText("instelling 'Contact' staan omgekeerd")).ToBeVisibleAsync();
        door.Shut();
        output.WriteLine(await Chromium.ScreenshotAsync(page, "e2e-2-looptest-omgekeerd"));

        // The installer fits the other reed type ("rewires"), then tries again.
        door.NormallyOpen = false;
        door.Shut();
        await doorStep.GetByRole(AriaRole.Button, new() { Name = "Opnieuw" }).ClickAsync();
        doorStep = Step(page, "door-front");
        await Assertions.Expect(doorStep.Locator(".status")).ToHaveTextAsync("nu doen");
        door.Open();
        await HubStepEventsAsync(system, kitId, "door-front", 1);
        door.Shut();
        await Assertions.Expect(doorStep.Locator(".status")).ToHaveTextAsync("gelukt");

        // Every other sensor, in the order the page asks for them, each when it is shown as current.
        foreach (var sensorId in await StepOrderAsync(system, kitId))
        {
            if (sensorId == "door-front")
            {
                continue;
            }

            var step = Step(page, sensorId);
            await Assertions.Expect(step.Locator(".status")).ToHaveTextAsync("nu doen");
            var kind = KindOf(enrolled, sensorId);
            if (kind == Contracts.Payloads.SensorKind.Motion)
            {
                injector.Motion(sensorId);
            }
            else if (kind == Contracts.Payloads.SensorKind.Button)
            {
                injector.Press(sensorId);
            }
            else
            {
                injector.Open(sensorId);
                await HubStepEventsAsync(system, kitId, sensorId, 1);
                injector.Close(sensorId);
            }

            await Assertions.Expect(step.Locator(".status")).ToHaveTextAsync("gelukt");
        }

        await Assertions.Expect(page.Locator("#live-zetten")).ToBeEnabledAsync();
        await page.Locator("#live-zetten").ClickAsync();
        await Assertions.Expect(page.Locator("#leren")).ToHaveTextAsync("leren: dag 1 van 14");
        await Assertions.Expect(page.Locator("#fase")).ToHaveTextAsync("live");
        output.WriteLine(await Chromium.ScreenshotAsync(page, "e2e-3-live"));

        // The same code again: refused, in Dutch.
        await page.GotoAsync($"{system.EnrolUrl}?code={code}");
        await page.GetByLabel("Bij wie wordt de kit geplaatst?").SelectOptionAsync(new SelectOptionValue { Label = "Mevrouw G. de Boer" });
        await page.GetByLabel("Vindt u het goed dat de sensoren uw dagritme volgen? (monitoring)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Kit aanmelden" }).ClickAsync();
        await Assertions.Expect(page.Locator("#fout")).ToContainTextAsync("Deze code is al gebruikt");
        output.WriteLine(await Chromium.ScreenshotAsync(page, "e2e-4-code-al-gebruikt"));

        // The resident stops: the coordinator withdraws consent, then deletes everything; the hub no longer knows them.
        var residentId = (await system.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}")).GetProperty("residentId").GetString()!;
        var coordinator = await chromium.NewPageAsync(phone: false);
        await coordinator.GotoAsync($"{system.DashboardUrl}/Bewoner/{residentId}");
        await SignInAsync(coordinator, "sanne");
        // A new resident has no vast aanspreekpunt yet: the coordinator sees only the name until she takes them on.
        await Assertions.Expect(coordinator.Locator("#niet-toegewezen")).ToContainTextAsync("Mevrouw G. de Boer heeft nog geen vast aanspreekpunt");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Ik word het vaste aanspreekpunt van Mevrouw G. de Boer" }).ClickAsync();
        await Assertions.Expect(coordinator.Locator("#leren")).ToHaveTextAsync("leren: dag 1 van 14");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Alle gegevens verwijderen" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Alert)).ToContainTextAsync("Vink eerst aan");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Toestemming intrekken" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Status)).ToContainTextAsync("De toestemming is ingetrokken");
        await coordinator.GetByLabel("Ja, verwijder alle gegevens van Mevrouw G. de Boer").CheckAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Alle gegevens verwijderen" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Status)).ToContainTextAsync("Alle gegevens van deze bewoner zijn verwijderd");
        output.WriteLine(await Chromium.ScreenshotAsync(coordinator, "e2e-5-gegevens-verwijderd"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await system.Hub.Http.GetAsync($"/api/residents/{residentId}")).StatusCode);
        Assert.Equal("revoked", (await system.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}")).GetProperty("stage").GetString());
        await kit.StopAsync();
    }

    private static ILocator Step(IPage page, string sensorId) => page.Locator($"#stappen li[data-sensor='{sensorId}']");

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GetByLabel("Gebruikersnaam").FillAsync(username);
        await page.GetByLabel("Wachtwoord").FillAsync(InstallationSystem.Password);
        await page.GetByLabel("Wachtwoord").PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/Inloggen", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }

    /// <summary>Checks the label files and returns the code printed on it.</summary>
    private static async Task<string> ReadLabelAsync(string kitDirectory)
    {
        var png = Path.Combine(kitDirectory, "claim-label.png");
        var text = Path.Combine(kitDirectory, "claim-label.txt");
        await Eventually.TrueAsync(() => File.Exists(png) && File.Exists(text), "the kit wrote its claim label", Patience);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "claim-label.png is a PNG");
        var match = CodePattern().Match(await File.ReadAllTextAsync(text));
        Assert.True(match.Success, "claim-label.txt holds a claim code XXXX-XXXX-XX");
        return match.Value;
    }

    private static int PinOf(IHost kit, string sensorId) =>
        kit.Services.GetRequiredService<IOptions<GpioOptions>>().Value.Sensors.Single(s => s.Id == sensorId).Pin!.Value;

    private static Contracts.Payloads.SensorKind KindOf(IHost kit, string sensorId) =>
        kit.Services.GetRequiredService<IOptions<GpioOptions>>().Value.Sensors.Single(s => s.Id == sensorId).Kind!.Value;

    private static async Task<IReadOnlyList<string>> StepOrderAsync(InstallationSystem system, string kitId)
    {
        var test = await system.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
        return [.. test.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("sensorId").GetString()!)];
    }

    /// <summary>Waits until the hub has stored an event of the sensor with that state (the kit delivered it).</summary>
    private static Task HubSawAsync(InstallationSystem system, string kitId, string sensorId, string state) =>
        Eventually.TrueAsync(async () =>
        {
            var events = await system.Hub.Http.GetFromJsonAsync<JsonElement[]>($"/api/kits/{kitId}/events?limit=50");
            return events!.Any(e => e.GetProperty("sensorId").GetString() == sensorId && e.GetProperty("state").GetString() == state);
        }, $"the hub stored {sensorId} {state} from {kitId}", Patience);

    /// <summary>Waits until the walk test counted this many events for the step (so the next movement is a separate change).</summary>
    private static Task HubStepEventsAsync(InstallationSystem system, string kitId, string sensorId, int events) =>
        Eventually.TrueAsync(async () =>
        {
            var test = await system.Hub.Http.GetFromJsonAsync<JsonElement>($"/api/kits/{kitId}/walktest");
            var step = test.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("sensorId").GetString() == sensorId);
            return step.GetProperty("events").GetInt32() >= events;
        }, $"the walk test counted {events} event(s) of {sensorId}", Patience);

    [GeneratedRegex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}")]
    private static partial Regex CodePattern();
}
