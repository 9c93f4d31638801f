using Microsoft.Playwright;

namespace Deliverability.Browser.Tests;

/// <summary>What a person does in the dashboard, for the tests to read as steps.</summary>
internal static class DashboardPage
{
    /// <summary>Generous: on 2 busy cores a circuit or an audit can take seconds.</summary>
    public const float Patience = 30_000;

    public static async Task<IPage> SignInAsync(IBrowser browser, DashboardServer server, string user, ViewportSize? viewport = null)
    {
        var page = await SubmitSignInAsync(browser, server, user, DashboardServer.Password, viewport);
        await WaitForInteractivityAsync(page);
        return page;
    }

    /// <summary>Opens the dashboard in a new browser context and submits the sign-in form; the page is wherever that led.</summary>
    public static async Task<IPage> SubmitSignInAsync(IBrowser browser, DashboardServer server, string user, string password, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience);
        await page.GotoAsync(server.BaseUrl + "/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=signin]");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Submits the form of My password (<c>/account/password</c>, where a one-time password leads).</summary>
    public static async Task ChangePasswordAsync(IPage page, string current, string chosen)
    {
        await page.FillAsync("#current-password", current);
        await page.FillAsync("#new-password", chosen);
        await page.FillAsync("#new-password-again", chosen);
        await page.ClickAsync("[data-testid=change-password]");
    }

    /// <summary>Pages are prerendered: a click before the circuit connects is lost, so wait until it has.</summary>
    public static Task WaitForInteractivityAsync(IPage page) =>
        page.Locator("[data-interactive=yes]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Into docs/screenshots when MONITOR_SCREENSHOTS=1 (to refresh the images of the README and docs/), else a temp folder.</summary>
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
