using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitor.Server.Auth;
using Monitor.Testing.Logging;

namespace Monitor.Browser.Tests;

/// <summary>
/// The real service on Kestrel (a free port on 127.0.0.1) with its product checks, a SQLite file in a private folder,
/// asking the test DNS server at <paramref name="dnsEndpoint"/>. Users: admin (Admin), operator, viewer.
/// </summary>
internal sealed class DashboardServer(string dnsEndpoint, params string[] domains) : WebApplicationFactory<Program>
{
    public const string Password = "Browser-test-password-1";
    public const string OperatorKey = "mk_browser-operator-0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "monitor-browser-tests-" + Guid.NewGuid().ToString("N"));

    public string BaseUrl { get; private set; } = "";

    /// <summary>More settings (given before <see cref="StartAsync"/>); a key here wins over the defaults above.</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = [];

    /// <summary>Every log entry the service writes, at the levels its configuration (<see cref="ExtraSettings"/>) lets through.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public async Task<DashboardServer> StartAsync()
    {
        Directory.CreateDirectory(_dataFolder);
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        await AddUserAsync("operator", MonitorRoles.Operator);
        await AddUserAsync("viewer", MonitorRoles.Viewer);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development the build output's static web assets are not mapped (blazor.web.js would be empty).
        builder.UseStaticWebAssets();
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_dataFolder, "monitor.db")}",
            ["Dns:NameServers:0"] = dnsEndpoint,
            ["Dns:TimeoutSeconds"] = "5",
            ["Dns:Retries"] = "1",
            ["Monitor:Audit:FirstRunDelay"] = "00:00:01",
            ["Monitor:Audit:Schedule"] = "01:00:00",
            ["Auth:FirstAdmin:Password"] = Password,
            ["Auth:ApiKeys:0:Name"] = "browser-operator",
            ["Auth:ApiKeys:0:Role"] = "Operator",
            ["Auth:ApiKeys:0:Key"] = OperatorKey,
            // Alerts evaluated every second and firing on the first bad run, as in AlertsEndToEndTests.
            ["Monitor:Alerts:EvaluationInterval"] = "00:00:01",
            ["Monitor:Alerts:Rules:CheckStatus:ForRuns"] = "1",
            ["Monitor:Alerts:Rules:StaleData:Enabled"] = "false",
        };
        for (var i = 0; i < domains.Length; i++)
        {
            settings[$"Monitor:Domains:{i}:Name"] = domains[i];
        }

        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>A user as Settings → Users makes one: with <paramref name="password"/> (else <see cref="Password"/>), which must be changed at first sign-in when <paramref name="oneTime"/>.</summary>
    public async Task AddUserAsync(string name, string role, string password = Password, bool oneTime = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = new MonitorUser { UserName = name, MustChangePassword = oneTime };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a finishing host: the OS temp folder is cleaned anyway
        }
    }
}
