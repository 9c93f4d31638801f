using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Benchmarks.Dashboard;

/// <summary>The real service in this process on Kestrel (127.0.0.1, free port), its data in <paramref name="folder"/>, counting open circuits.</summary>
// Any type of the service's assembly names its entry point (this project has its own Program).
internal sealed class DashboardHost(string folder) : WebApplicationFactory<Deliverability.Server.Domains.DomainBoard>
{
    public const string AdminKey = "mk_benchmark-admin-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string AdminPassword = "Benchmark-password-1";

    public CircuitCounter Circuits { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public void Start()
    {
        ServiceContentRoot.Use();
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseStaticWebAssets(); // blazor.web.js from the build output (see STACK-NOTES)
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Storage:ConnectionString", $"Data Source={Path.Combine(folder, "monitor.db")}");
        builder.UseSetting("Dns:NameServers:0", "127.0.0.1:9"); // nothing is audited by DNS here: results are stored directly
        builder.UseSetting("Monitor:Audit:FirstRunDelay", "10:00:00");
        builder.UseSetting("Monitor:Audit:Schedule", "10:00:00");
        // The real alert engine, evaluating every 5 s (15 s by default) so that alerts move while results stream in; the
        // quiet checks never alert (see DashboardBenchmark.Status).
        builder.UseSetting("Monitor:Alerts:EvaluationInterval", "00:00:05");
        for (var i = 0; i < DashboardBenchmark.QuietChecks.Length; i++)
        {
            builder.UseSetting($"Monitor:Alerts:Rules:CheckStatus:ExcludeChecks:{i}", DashboardBenchmark.QuietChecks[i]);
        }

        builder.UseSetting("Auth:FirstAdmin:Password", AdminPassword);
        builder.UseSetting("Auth:ApiKeys:0:Name", "benchmark");
        builder.UseSetting("Auth:ApiKeys:0:Role", "Admin");
        builder.UseSetting("Auth:ApiKeys:0:Key", AdminKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<CircuitHandler>(Circuits));
    }
}

/// <summary>How many dashboard circuits (open browser tabs) are connected.</summary>
internal sealed class CircuitCounter : CircuitHandler
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
    }
}
