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

    /// <summary>The service with these settings over the fixture's; a later setting of the same key wins.</summary>
    internal MonitorApplication StartService(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new MonitorApplication(DataFolder, Dns.Endpoint, all);
    }

    /// <summary>The service with the product's own checks (SPF, DKIM, DMARC, ...) instead of the marker check.</summary>
    internal MonitorApplication StartServiceWithProductChecks(params (string Key, string? Value)[] settings) =>
        new(DataFolder, Dns.Endpoint, settings.ToDictionary(s => s.Key, s => s.Value), productChecks: true);

    internal static (string, string?)[] Domains(params string[] names) =>
        names.Select((name, i) => ($"Monitor:Domains:{i}:Name", (string?)name)).ToArray();
}
