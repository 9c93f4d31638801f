using Microsoft.AspNetCore.Hosting;
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
/// checks when <paramref name="productChecks"/> is set. DNS is patient (5 s, one retry): on 2 busy cores a short timeout would make checks Unknown. The scheduled audit and blacklist check wait an hour unless a test sets <c>Monitor:Audit:*</c> or <c>Monitor:Blacklists:*</c> itself.
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Pooled connections keep the file open; a test that reopens or deletes it needs them closed.
        SqliteConnection.ClearAllPools();
    }
}
