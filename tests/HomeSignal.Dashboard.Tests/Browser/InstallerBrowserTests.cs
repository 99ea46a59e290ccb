using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HomeSignal.Dashboard.Tests.Browser;

/// <summary>The installer's pages in Debian's chromium against the hub stand-in: the label's link, enrolment, the live walk test.</summary>
public class InstallerBrowserTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    [Fact]
    public async Task The_walk_test_page_ticks_steps_off_live_explains_an_inverted_contact_and_goes_live()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false);
        host.Hub.AddClaim("ABCD-EFGH-JK");
        var page = await chromium.NewPageAsync(phone: true);

        // The QR code on the label opens the enrolment page; the log-in comes first and returns there.
        await page.GotoAsync(host.Url + "/Installatie/Aanmelden?code=abcd-efgh-jk");
        await page.GetByLabel("Gebruikersnaam").FillAsync("frank");
        await page.GetByLabel("Wachtwoord").FillAsync(DashboardHost.Password);
        await page.GetByLabel("Wachtwoord").PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Claimcode (staat op het label, bijvoorbeeld ABCD-EFGH-JK)")).ToHaveValueAsync("ABCD-EFGH-JK");

        await page.GetByLabel("Bij wie wordt de kit geplaatst?").SelectOptionAsync(new SelectOptionValue { Label = "Nieuwe bewoner" });
        await page.GetByLabel("Naam nieuwe bewoner").FillAsync("Mevrouw G. de Boer");
        await page.GetByLabel("Vindt u het goed dat de sensoren uw dagritme volgen? (monitoring)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Kit aanmelden" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Looptest" })).ToBeVisibleAsync();
        var kitId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Assertions.Expect(page.Locator("#looptest-starten")).ToBeDisabledAsync();
        lock (host.Hub.Kits)
        {
            host.Hub.FindKit(kitId)!["status"] = "online";
        }

        // The page notices the kit connecting by itself.
        await Assertions.Expect(page.Locator("#looptest-starten")).ToBeEnabledAsync();
        await page.Locator("#looptest-starten").ClickAsync();
        var door = page.Locator("li[data-sensor='door-front']");
        await Assertions.Expect(door.Locator(".status")).ToHaveTextAsync("nu doen");

        // The kit reports the door the wrong way round: the open page shows it within a poll or two, without a reload.
        host.Hub.SetStep(kitId, "door-front", "failed", "inverted");
        await Assertions.Expect(door.Locator(".probleem")).ToContainTextAsync("omgekeerd aangesloten");
        await Assertions.Expect(door.GetByText("instelling 'Contact' staan omgekeerd")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#live-zetten")).ToBeDisabledAsync();
        output.WriteLine(await Chromium.ScreenshotAsync(page, "6-installateur-looptest-omgekeerd"));

        await door.GetByRole(AriaRole.Button, new() { Name = "Opnieuw" }).ClickAsync();
        await Assertions.Expect(door.Locator(".status")).ToHaveTextAsync("nu doen");
        foreach (var sensor in new[] { "door-front", "motion-living", "mailbox-flap" })
        {
            host.Hub.SetStep(kitId, sensor, "passed");
            await Assertions.Expect(page.Locator($"li[data-sensor='{sensor}'] .status")).ToHaveTextAsync("gelukt");
        }

        await Assertions.Expect(page.Locator("#live-zetten")).ToBeEnabledAsync();
        await page.Locator("#live-zetten").ClickAsync();
        await Assertions.Expect(page.Locator("#leren")).ToHaveTextAsync("leren: dag 1 van 14");
        output.WriteLine(await Chromium.ScreenshotAsync(page, "7-installateur-live"));
    }
}
