using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Benchmarks.Hooks;

/// <summary>
/// The service in a child process (this benchmark's <c>hooks-server</c> command), so that it can be killed like a
/// crashed service and its memory read apart from the client's.
/// </summary>
internal sealed class HookServer
{
    public const string ListeningPrefix = "listening ";
    private readonly Process _process;
    private readonly Uri _baseUrl;

    private HookServer(Process process, Uri baseUrl)
    {
        _process = process;
        _baseUrl = baseUrl;
    }

    /// <summary>The peak resident memory (VmHWM) of the service process so far.</summary>
    public long PeakResidentBytes => _process.HasExited ? 0 : ProcessTree.PeakResidentBytes(_process.Id);

    /// <summary>The CPU time the service process has used so far (user and system).</summary>
    public TimeSpan CpuTime => _process.HasExited ? TimeSpan.Zero : ProcessTree.CpuTime(_process.Id);

    public Uri Url(string path) => new(_baseUrl, path);

    public static async Task<HookServer> StartAsync(string folder, string sendGridPublicKey, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(HookServer).Assembly.Location, "hooks-server", "--folder", folder, "--sendgrid-key", sendGridPublicKey })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the hooks server did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                // Drained from here on, so that nothing it writes ever blocks it.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return new HookServer(process, new Uri(line[ListeningPrefix.Length..]));
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"the hooks server exited ({process.ExitCode}) before it listened");
    }

    /// <summary>SIGKILL: nothing of the service runs after it, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Stops the service gracefully (its standard input closed) and waits for it.</summary>
    public async Task StopAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
    }
}

/// <summary>The real service on Kestrel with a SendGrid and a Mailgun source, plus the baseline endpoint.</summary>
internal sealed class HookHost(string folder, string publicKey) : WebApplicationFactory<Deliverability.Server.SendEvents.Hooks.SendEventFormats>
{
    public string BaseUrl { get; private set; } = "";

    public void Run()
    {
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "monitor.db")}",
            ["Secrets:KeysFolder"] = Path.Combine(folder, "keys"),
            ["Auth:FirstAdmin:Password"] = "Bench-admin-password-0123",
            ["Logging:LogLevel:Default"] = "Error",
            ["Dns:NameServers:0"] = "127.0.0.1:9", // no DNS here: the mailbox-provider classifier answers "unknown" at once
            ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
            ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
            ["Monitor:SendEvents:RecipientHashKey"] = "bench-recipient-hash-key-0123456789",
            ["Monitor:SendEvents:MaxRequestBytes"] = "4194304",
            ["Monitor:SendEvents:Sources:0:Name"] = "sendgrid",
            ["Monitor:SendEvents:Sources:0:Provider"] = "sendgrid",
            ["Monitor:SendEvents:Sources:0:PublicKey"] = publicKey,
            ["Monitor:SendEvents:Sources:1:Name"] = "mailgun",
            ["Monitor:SendEvents:Sources:1:Provider"] = "mailgun",
            ["Monitor:SendEvents:Sources:1:SigningKey"] = HooksBenchmark.MailgunKey,
        })
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, BaselineEndpoint>());
    }

    /// <summary><c>POST /bench/baseline</c>: reads the body and answers 200, before anything else of the pipeline.</summary>
    private sealed class BaselineEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Path == "/bench/baseline")
                {
                    var buffer = new byte[16384];
                    while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                    {
                    }

                    context.Response.StatusCode = 200;
                    return;
                }

                await following(context);
            });
            next(app);
        };
    }
}
