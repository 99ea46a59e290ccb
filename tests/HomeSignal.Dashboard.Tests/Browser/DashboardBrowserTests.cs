using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HomeSignal.Dashboard.Tests.Browser;

/// <summary>The dashboard in Debian's chromium: few tests, bounded waits, no sleeps, screenshots kept as artefacts.</summary>
public class DashboardBrowserTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    private static async Task SignInAsync(IPage page, string baseUrl, string username)
    {
        await page.GotoAsync(baseUrl + "/");
        await page.GetByLabel("Gebruikersnaam").FillAsync(username);
        await page.GetByLabel("Wachtwoord").FillAsync(DashboardHost.Password);
        await page.GetByLabel("Wachtwoord").PressAsync("Enter");
        // Only the redirect away from the log-in page matters here; the next assertions wait for what they need.
        await page.WaitForURLAsync(url => !url.Contains("/Inloggen", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }

    [Fact]
    public async Task Volunteers_morning_niet_opgenomen_appears_live_for_the_nurse()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var nurse = await chromium.NewPageAsync(phone: false);
        await SignInAsync(nurse, host.Url, "dirk");
        await Assertions.Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Urgente meldingen" })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.GetByText("Belronde: geen contact")).ToHaveCountAsync(0);

        var volunteer = await chromium.NewPageAsync(phone: true);
        await SignInAsync(volunteer, host.Url, "anna");
        await Assertions.Expect(volunteer).ToHaveURLAsync(host.Url + "/Belronde");
        var jansen = volunteer.Locator("li.card", new() { Has = volunteer.GetByRole(AriaRole.Heading, new() { Name = "Mevrouw A. Jansen" }) });
        await Assertions.Expect(jansen.GetByText("010-1234567")).ToBeVisibleAsync();
        await Assertions.Expect(jansen.GetByText("normaal rond 07:10 op")).ToBeVisibleAsync();
        output.WriteLine(await Chromium.ScreenshotAsync(volunteer, "1-vrijwilliger-belronde"));

        await jansen.GetByRole(AriaRole.Button, new() { Name = "Niet opgenomen" }).ClickAsync();
        await Assertions.Expect(volunteer.GetByRole(AriaRole.Status)).ToContainTextAsync("melding gemaakt");
        await Assertions.Expect(jansen.GetByText("Uitkomst: Niet opgenomen")).ToBeVisibleAsync();
        output.WriteLine(await Chromium.ScreenshotAsync(volunteer, "2-vrijwilliger-niet-opgenomen"));

        // The nurse's open page picks up the escalation by polling, without a reload.
        await Assertions.Expect(nurse.GetByText("Belronde: geen contact")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Urgent Mevrouw A. Jansen" })).ToBeVisibleAsync();
        output.WriteLine(await Chromium.ScreenshotAsync(nurse, "3-wijkverpleegkundige-melding"));
    }

    [Fact]
    public async Task Coordinator_opens_a_resident_page_with_the_actogram_and_trends()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.Planner.RunOnceAsync();
        var page = await chromium.NewPageAsync(phone: false);
        await SignInAsync(page, host.Url, "carla");

        await page.GetByRole(AriaRole.Link, new() { Name = "Meneer K. Smit" }).ClickAsync();
        await Assertions.Expect(page.Locator("#grafieken[data-drawn='true']")).ToBeAttachedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Actogram: beweging per uur van de dag over de laatste 8 weken" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#stoplicht")).ToHaveTextAsync("aandacht: contact gepland");
        await Assertions.Expect(page.GetByText("Bij dochter in Zeeland")).ToBeVisibleAsync();
        var drawn = await page.EvaluateAsync<bool>("() => { const c = document.getElementById('actogram'); return c.width > 0 && !!Chart.getChart(c); }");
        Assert.True(drawn);
        output.WriteLine(await Chromium.ScreenshotAsync(page, "4-coordinator-bewoner-actogram"));
    }

    [Fact]
    public async Task Coordinator_takes_on_a_resident_without_a_vast_aanspreekpunt_from_the_list()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await chromium.NewPageAsync(phone: false);
        await SignInAsync(page, host.Url, "carla");

        var unassigned = page.Locator("#niet-toegewezen");
        await Assertions.Expect(unassigned.GetByRole(AriaRole.Heading, new() { Name = "Nog geen vast aanspreekpunt" })).ToBeVisibleAsync();
        await Assertions.Expect(unassigned.GetByText("Mevrouw L. Visser", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(unassigned.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        output.WriteLine(await Chromium.ScreenshotAsync(page, "8-coordinator-niet-toegewezen"));

        await unassigned.GetByRole(AriaRole.Button, new() { Name = "Ik word het vaste aanspreekpunt van Mevrouw L. Visser" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("U bent nu het vaste aanspreekpunt van deze bewoner.");
        await Assertions.Expect(page.Locator("#aanspreekpunt")).ToHaveTextAsync("Vast aanspreekpunt: Carla Peters");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Actogram: beweging per uur van de dag over de laatste 8 weken" })).ToBeVisibleAsync();
        output.WriteLine(await Chromium.ScreenshotAsync(page, "9-coordinator-vast-aanspreekpunt"));
    }

    [Fact]
    public async Task A_volunteer_is_refused_a_residents_history_and_the_page_is_keyboard_usable()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await chromium.NewPageAsync(phone: true);
        await SignInAsync(page, host.Url, "anna");

        var response = await page.GotoAsync($"{host.Url}/Bewoner/{HubSeed.Jansen}");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Geen toegang" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Laatste beweging")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Naar de inhoud", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        output.WriteLine(await Chromium.ScreenshotAsync(page, "5-vrijwilliger-geen-toegang"));
    }
}
