using Microsoft.Playwright;

namespace HomeSignal.Dashboard.Tests.Browser;

public class SpikeTests
{
    [Fact]
    public async Task Debian_chromium_renders_a_data_page()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.SetContentAsync("<h1>Hallo</h1>");
        Assert.Equal("Hallo", await page.InnerTextAsync("h1"));
    }
}
