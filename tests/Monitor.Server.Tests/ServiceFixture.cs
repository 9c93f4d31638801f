using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitor.Core.Audits;
using Monitor.Testing.Dns;

namespace Monitor.Server.Tests;

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

    /// <summary>The service with the product's own checks (SPF, DKIM, DMARC, ...) instead of the marker check.</summary>
    internal MonitorApplication StartServiceWithProductChecks(params (string Key, string? Value)[] settings) =>
        new(DataFolder, Dns.Endpoint, Settings(settings));

    internal static (string, string?)[] Domains(params string[] names) =>
        names.Select((name, i) => ($"Monitor:Domains:{i}:Name", (string?)name)).ToArray();

    /// <summary>
    /// The scheduled audit and blacklist check wait an hour unless a test sets <c>Monitor:Audit:*</c> or
    /// <c>Monitor:Blacklists:*</c> itself, and DNS answers are not cached, so a test may change its zone at any time.
    /// </summary>
    private static Dictionary<string, string?> Settings((string Key, string? Value)[] settings)
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

    private static void OnlyTheMarkerCheck(IServiceCollection services)
    {
        services.RemoveAll<IDomainCheck>();
        services.AddSingleton<IDomainCheck, MarkerCheck>();
    }
}
