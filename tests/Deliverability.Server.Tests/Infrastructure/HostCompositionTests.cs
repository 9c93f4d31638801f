using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using Deliverability.Server.Blacklists;
using Deliverability.Server.Components;
using Deliverability.Server.DmarcReports;
using Deliverability.Server.Domains;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.LivePush;
using Deliverability.Server.Forecasts;
using Deliverability.Server.SendEvents.Sending;
using Deliverability.Server.LoadTests;
using Deliverability.Server.MessageChecks;
using Deliverability.Server.Metrics;
using Deliverability.Server.Overview;
using Deliverability.Server.Placement;
using Deliverability.Server.SendEvents;
using Deliverability.Server.Settings;
using Quartz;

namespace Deliverability.Server.Tests.Infrastructure;

/// <summary>
/// Program.cs has no order rules: the host built from the features' <c>AddX</c> and <c>MapX</c> calls in another order
/// starts, serves, schedules every job on the persistent store, and resolves the same services as in Program's order.
/// </summary>
public sealed class HostCompositionTests : ServiceFixture
{
    /// <summary>The calls of Program.cs, in its order.</summary>
    private static readonly Action<WebApplicationBuilder>[] Registrations =
    [
        b => b.AddInfrastructure(),
        b => b.AddDashboard(),
        b => b.AddAuth(),
        b => b.AddDomains(),
        b => b.AddBlacklists(),
        b => b.AddPlacement(),
        b => b.AddAlerts(),
        b => b.AddLoadTests(),
        b => b.AddForecasts(),
        b => b.AddMessageChecks(),
        b => b.AddSending(),
        b => b.AddDmarcReports(),
        b => b.AddOverview(),
        b => b.AddSettings(),
        b => b.AddMetrics(),
        b => b.AddSendEvents(),
        b => b.AddLivePush(),
    ];

    private static readonly Action<WebApplication>[] Mappings =
    [
        a => a.MapInfrastructure(),
        a => a.MapDashboard(),
        a => a.MapAuth(),
        a => a.MapDomains(),
        a => a.MapBlacklists(),
        a => a.MapPlacement(),
        a => a.MapAlerts(),
        a => a.MapLoadTests(),
        a => a.MapForecasts(),
        a => a.MapMessageChecks(),
        a => a.MapSending(),
        a => a.MapDmarcReports(),
        a => a.MapSettings(),
        a => a.MapMetrics(),
        a => a.MapSendEvents(),
    ];

    [Fact]
    public async Task Feature_registrations_compose_the_same_services_in_any_order()
    {
        var expected = await ComposeAsync("program-order", Registrations, Mappings);

        foreach (var (name, seed) in new[] { ("reversed", 0), ("shuffled-1", 1), ("shuffled-2", 2) })
        {
            Action<WebApplicationBuilder>[] registrations = [.. Registrations];
            Action<WebApplication>[] mappings = [.. Mappings];
            if (seed == 0)
            {
                Array.Reverse(registrations);
                Array.Reverse(mappings);
            }
            else
            {
                var random = new Random(seed);
                random.Shuffle(registrations);
                random.Shuffle(mappings);
            }

            var actual = await ComposeAsync(name, registrations, mappings);

            var differences = expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
                .Select(k => $"{k}: in Program's order {expected.GetValueOrDefault(k) ?? "none"}; {name} {actual.GetValueOrDefault(k) ?? "none"}").ToList();
            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
    }

    [Fact]
    public void The_composition_covers_every_feature_registration_and_mapping()
    {
        var methods = typeof(Program).Assembly.GetExportedTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static)).ToList();
        var adds = methods.Where(m => m.ReturnType == typeof(WebApplicationBuilder) && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(WebApplicationBuilder));
        var maps = methods.Where(m => m.ReturnType == typeof(WebApplication) && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(WebApplication));

        Assert.Equal(Registrations.Length, adds.Count());
        Assert.Equal(Mappings.Length, maps.Count());
    }

    /// <summary>
    /// Builds and starts the host from <paramref name="registrations"/> and <paramref name="mappings"/> in their order, checks
    /// that it serves and schedules, and returns, for every service the features register, the implementations it resolves to.
    /// </summary>
    private async Task<SortedDictionary<string, string>> ComposeAsync(string name, IReadOnlyList<Action<WebApplicationBuilder>> registrations, IReadOnlyList<Action<WebApplication>> mappings)
    {
        var folder = Path.Combine(DataFolder, name);
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = folder, ApplicationName = "Deliverability.Server" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "monitor.db")}",
            ["Dns:NameServers:0"] = Dns.Endpoint,
            ["Monitor:Domains:0:Name"] = "example.test",
            ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
            ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
            ["Auth:ApiKeys:0:Name"] = "test-admin",
            ["Auth:ApiKeys:0:Role"] = "Admin",
            ["Auth:ApiKeys:0:Key"] = TestApiKeys.Admin,
        });
        builder.WebHost.UseTestServer();
        foreach (var register in registrations)
        {
            register(builder);
        }

        var ours = builder.Services
            .Where(d => !d.IsKeyedService && !d.ServiceType.IsGenericTypeDefinition && IsOurs(d))
            .Select(d => d.ServiceType)
            .Distinct()
            .ToList();
        await using var app = builder.Build();
        foreach (var map in mappings)
        {
            map(app);
        }

        await app.StartAsync();
        try
        {
            using var client = app.GetTestClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/domains")).StatusCode);
            client.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Admin);
            Assert.Contains("example.test", await client.GetStringAsync("/api/domains"), StringComparison.Ordinal);

            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            Assert.True((await scheduler.GetMetadata()).JobStorePersistent);
            var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup());
            Assert.Equal([BlacklistCheckJob.Key.Name, DomainAuditJob.Key.Name, ForecastJob.Key.Name, PlacementJob.Key.Name], jobs.Select(k => k.Name).Order(StringComparer.Ordinal));
            Assert.Equal(6, (await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.AnyGroup())).Count);

            var resolved = new SortedDictionary<string, string>(StringComparer.Ordinal);
            await using var scope = app.Services.CreateAsyncScope();
            foreach (var type in ours)
            {
                var all = scope.ServiceProvider.GetServices(type).Select(s => s?.GetType().FullName ?? "null").Order(StringComparer.Ordinal);
                resolved[type.FullName!] = string.Join(", ", all);
            }

            return resolved;
        }
        finally
        {
            await app.StopAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static bool IsOurs(ServiceDescriptor descriptor) =>
        Ours(descriptor.ServiceType) || Ours(descriptor.ImplementationType) || Ours(descriptor.ImplementationInstance?.GetType())
        || Ours(descriptor.ImplementationFactory?.Method.DeclaringType);

    private static bool Ours(Type? type) => type?.Assembly.GetName().Name is { } assembly && (assembly.StartsWith("Monitor.", StringComparison.Ordinal) || assembly == "Quartz");
}
