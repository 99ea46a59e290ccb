using HomeSignal.Testing.Servers;
using Microsoft.Playwright;

namespace HomeSignal.Dashboard.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (never Playwright's own browser download), shared by one test class.
/// Screenshots go to TestResults/screenshots under the test output folder.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = RequiredTool.Find("chromium", "chromium");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Timeout = 60_000,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright?.Dispose();
    }

    /// <summary>A new page in its own context (own cookies), phone-sized or desktop-sized, with bounded default waits.</summary>
    public async Task<IPage> NewPageAsync(bool phone)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            Locale = "nl-NL",
        });
        var page = await context.NewPageAsync();

        // Generous bounds: CI runs on a 2-core machine next to the servers under test, and a cold chromium is slow.
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        return page;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine($"Screenshot: {path}");
        return path;
    }
}
