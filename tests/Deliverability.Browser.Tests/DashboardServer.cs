using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Deliverability.Server.Auth;
using Deliverability.Testing.Host;
using Deliverability.Testing.Logging;
using Deliverability.Core.SignIn;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The real service (<see cref="MonitorApplication"/>) on Kestrel with its product checks, a SQLite file in a private
/// folder, asking the test DNS server at <paramref name="dnsEndpoint"/>; the first audit runs a second after start and
/// alerts fire on the first bad run. Users: admin (Admin), operator, viewer, all with <see cref="Password"/>.
/// </summary>
internal sealed class DashboardServer(string dnsEndpoint, params string[] domains) : IAsyncDisposable
{
    public const string Password = TestApiKeys.AdminPassword;
    public const string OperatorKey = TestApiKeys.Operator;

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "monitor-browser-tests-" + Guid.NewGuid().ToString("N"));
    private MonitorApplication? _application;

    public string BaseUrl => Application.BaseUrl;

    public IServiceProvider Services => Application.Services;

    /// <summary>More settings (given before <see cref="StartAsync"/>); a key here wins over the defaults above.</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = [];

    /// <summary>Every log entry the service writes, at the levels its configuration (<see cref="ExtraSettings"/>) lets through.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    private MonitorApplication Application => _application ?? throw new InvalidOperationException("Call StartAsync first.");

    public async Task<DashboardServer> StartAsync()
    {
        Directory.CreateDirectory(_dataFolder);
        var settings = new Dictionary<string, string?>
        {
            ["Monitor:Audit:FirstRunDelay"] = "00:00:01",
            ["Monitor:Audit:Schedule"] = "01:00:00",
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

        _application = new MonitorApplication(_dataFolder, dnsEndpoint, settings, services => services.AddSingleton<ILoggerProvider>(Logs)).StartOnKestrel();
        await AddUserAsync("operator", MonitorRoles.Operator);
        await AddUserAsync("viewer", MonitorRoles.Viewer);
        return this;
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

    public async ValueTask DisposeAsync()
    {
        if (_application is not null)
        {
            await _application.DisposeAsync();
        }

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
