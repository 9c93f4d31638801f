using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitor.Core.Audits;

namespace Monitor.Server.Tests;

/// <summary>
/// The real service on a SQLite file in <paramref name="dataFolder"/>, asking the test DNS server at <paramref name="dnsEndpoint"/>,
/// with only the marker check (so a test's states do not depend on which product checks exist), or with the product's
/// checks when <paramref name="productChecks"/> is set. Sign-in is on: <c>CreateClient()</c> sends the Admin API key (<see cref="TestApiKeys"/>); <see cref="CreateClientAs"/> and <see cref="CreateAnonymousClient"/> give the other roles. DNS is patient (5 s, one retry): on 2 busy cores a short timeout would make checks Unknown. The scheduled audit and blacklist check wait an hour unless a test sets <c>Monitor:Audit:*</c> or <c>Monitor:Blacklists:*</c> itself.
/// </summary>
internal sealed class MonitorApplication(string dataFolder, string dnsEndpoint, IReadOnlyDictionary<string, string?> settings, bool productChecks = false) : WebApplicationFactory<Program>
{
    public string DatabaseFile => Path.Combine(dataFolder, "monitor.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={DatabaseFile}",
            ["Dns:NameServers:0"] = dnsEndpoint,
            ["Dns:TimeoutSeconds"] = "5",
            ["Dns:Retries"] = "1",
            ["Dns:UseCache"] = "false",
            ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
            ["Monitor:Audit:Schedule"] = "01:00:00",
            ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
            ["Monitor:Blacklists:Schedule"] = "01:00:00",
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
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }

        if (!productChecks)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IDomainCheck>();
                services.AddSingleton<IDomainCheck, MarkerCheck>();
            });
        }
    }

    /// <summary>Every client made by <c>CreateClient()</c> sends the Admin API key, so a test of another feature needs no sign-in.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Admin);
    }

    /// <summary>
    /// Starts the service on Kestrel at a free port of 127.0.0.1 instead of the in-memory test server, for tests that need
    /// real connections (the client's address, forwarded headers, what Kestrel itself answers). Before any other use.
    /// </summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
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
