using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Testing.Host;

/// <summary>
/// The real service for a test: a SQLite file in <paramref name="dataFolder"/> (its data-protection keys there too, never
/// in the user's home), asking the test DNS server at <paramref name="dnsEndpoint"/> patiently (5 s, one retry: on 2 busy
/// cores a short timeout would make checks Unknown), with sign-in on and the <see cref="TestApiKeys"/> provisioned.
/// <paramref name="settings"/> win over these defaults; <paramref name="testServices"/> may replace services (a test
/// check instead of the product's). In memory by default; <see cref="StartOnKestrel"/> puts it on a real socket for a
/// browser or the CLI.
/// </summary>
public sealed class MonitorApplication(
    string dataFolder,
    string dnsEndpoint,
    IReadOnlyDictionary<string, string?> settings,
    Action<IServiceCollection>? testServices = null) : WebApplicationFactory<Program>
{
    private bool _onKestrel;

    public string DatabaseFile => Path.Combine(dataFolder, "monitor.db");

    /// <summary><c>http://127.0.0.1:port</c> once <see cref="StartOnKestrel"/> has run.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts the service on Kestrel (a free port on 127.0.0.1), serving the dashboard's static assets.</summary>
    public MonitorApplication StartOnKestrel()
    {
        _onKestrel = true;
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (_onKestrel)
        {
            // Outside Development the build output's static web assets are not mapped (blazor.web.js would be empty).
            builder.UseStaticWebAssets();
        }

        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={DatabaseFile}",
            ["Secrets:KeysFolder"] = Path.Combine(dataFolder, "keys"),
            ["Dns:NameServers:0"] = dnsEndpoint,
            ["Dns:TimeoutSeconds"] = "5",
            ["Dns:Retries"] = "1",
            // Sign-in is on for every endpoint: one API key per role, provisioned at start (TestApiKeys).
            ["Auth:ApiKeys:0:Name"] = "test-admin",
            ["Auth:ApiKeys:0:Role"] = "Admin",
            ["Auth:ApiKeys:0:Key"] = TestApiKeys.Admin,
            ["Auth:ApiKeys:1:Name"] = "test-operator",
            ["Auth:ApiKeys:1:Role"] = "Operator",
            ["Auth:ApiKeys:1:Key"] = TestApiKeys.Operator,
            ["Auth:ApiKeys:2:Name"] = "test-viewer",
            ["Auth:ApiKeys:2:Role"] = "Viewer",
            ["Auth:ApiKeys:2:Key"] = TestApiKeys.Viewer,
            ["Auth:FirstAdmin:Password"] = TestApiKeys.AdminPassword,
        };
        if (_onKestrel)
        {
            all["urls"] = "http://127.0.0.1:0";
        }

        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    /// <summary>Every client made by <c>CreateClient()</c> sends the Admin API key, so a test of another feature needs no sign-in.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Admin);
    }

    /// <summary>A client that is not signed in (no API key, no cookie), which follows no redirect.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Remove(TestApiKeys.Header);
        return client;
    }

    /// <summary>A client that sends the API key of <paramref name="role"/> (Viewer, Operator or Admin), which follows no redirect.</summary>
    public HttpClient CreateClientAs(string role)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.For(role));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Pooled connections keep the file open; a test that reopens or deletes it needs them closed.
        SqliteConnection.ClearAllPools();
    }
}
