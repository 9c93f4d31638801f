using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Deliverability.Core.Audits;
using Deliverability.Testing.Dns;

namespace Deliverability.Server.Tests;

/// <summary>A test DNS server and a temporary data folder; each test starts the service (or several in turn) on them.</summary>
public abstract class ServiceFixture : IAsyncLifetime
{
    protected TestDnsServer Dns { get; private set; } = null!;

    protected string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "monitor-server-tests-" + Guid.NewGuid().ToString("N"));

    public virtual Task InitializeAsync()
    {
        Directory.CreateDirectory(DataFolder);
        Dns = TestDnsServer.Start(new TestZone());
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        await Dns.DisposeAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing host: the OS temp folder is cleaned anyway.
        }
    }

    /// <summary>
    /// The service with these settings over the fixture's; a later setting of the same key wins. It has only the marker
    /// check, so a test's states do not depend on which product checks exist.
    /// </summary>
    internal MonitorApplication StartService(params (string Key, string? Value)[] settings) =>
        new(DataFolder, Dns.Endpoint, Settings(settings), OnlyTheMarkerCheck);

    /// <summary>As <see cref="StartService"/>, with <paramref name="testServices"/> added (a log capture, for one).</summary>
    internal MonitorApplication StartServiceWith(Action<IServiceCollection> testServices, params (string Key, string? Value)[] settings) =>
        new(DataFolder, Dns.Endpoint, Settings(settings), services =>
        {
            OnlyTheMarkerCheck(services);
            testServices(services);
        });

    /// <summary>The service with the product's own checks (SPF, DKIM, DMARC, ...) instead of the marker check.</summary>
    internal MonitorApplication StartServiceWithProductChecks(params (string Key, string? Value)[] settings) =>
        new(DataFolder, Dns.Endpoint, Settings(settings));

    internal static (string, string?)[] Domains(params string[] names) =>
        names.Select((name, i) => ($"Monitor:Domains:{i}:Name", (string?)name)).ToArray();

    /// <summary>
    /// The scheduled audit and blacklist check wait an hour unless a test sets <c>Monitor:Audit:*</c> or
    /// <c>Monitor:Blacklists:*</c> itself, and DNS answers are not cached, so a test may change its zone at any time.
    /// </summary>
    protected static Dictionary<string, string?> Settings((string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dns:UseCache"] = "false",
            ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
            ["Monitor:Audit:Schedule"] = "01:00:00",
            ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
            ["Monitor:Blacklists:Schedule"] = "01:00:00",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>
    /// Runs the real entry point in its own process (what <c>dotnet Deliverability.Server.dll</c> runs) with these settings as
    /// command-line arguments over the fixture's, and returns everything it printed. Whatever the problem: exit code 1,
    /// no stack trace, and no secret of the settings (values containing <c>XXSECRETXX</c> or <c>pw-never-printed</c>) in the output.
    /// </summary>
    protected async Task<string> StartUpFailureAsync((string Key, string? Value)[] settings)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            $"--Storage:ConnectionString=Data Source={Path.Combine(DataFolder, "monitor.db")}",
            $"--Dns:NameServers:0={Dns.Endpoint}",
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];

        var exit = await ServiceProcess.RunUntilExitAsync(DataFolder, args);

        Assert.Equal(1, exit.Code);
        Assert.DoesNotContain("Unhandled exception", exit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", exit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("XXSECRETXX", exit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-never-printed", exit.Output, StringComparison.Ordinal);
        return exit.Output;
    }

    private static void OnlyTheMarkerCheck(IServiceCollection services)
    {
        services.RemoveAll<IDomainCheck>();
        services.AddSingleton<IDomainCheck, MarkerCheck>();
    }
}
