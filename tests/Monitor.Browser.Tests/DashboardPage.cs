using Microsoft.Playwright;

namespace Monitor.Browser.Tests;

/// <summary>What a person does in the dashboard, for the tests to read as steps.</summary>
internal static class DashboardPage
{
    /// <summary>Generous: on 2 busy cores a circuit or an audit can take seconds.</summary>
    public const float Patience = 30_000;

    public static async Task<IPage> SignInAsync(IBrowser browser, DashboardServer server, string user, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience);
        await page.GotoAsync(server.BaseUrl + "/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", DashboardServer.Password);
        await page.ClickAsync("[data-testid=signin]");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        await WaitForInteractivityAsync(page);
        return page;
    }

    /// <summary>Pages are prerendered: a click before the circuit connects is lost, so wait until it has.</summary>
    public static Task WaitForInteractivityAsync(IPage page) =>
        page.Locator("[data-interactive=yes]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Into docs/screenshots when MONITOR_SCREENSHOTS=1 (to refresh the README's images), else a temp folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("MONITOR_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "monitor-screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above " + AppContext.BaseDirectory);
    }
}
