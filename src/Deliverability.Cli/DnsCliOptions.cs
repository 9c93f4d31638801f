using System.CommandLine;
using Deliverability.Core.Dns;

namespace Deliverability.Cli;

/// <summary>The DNS options every network command takes: <c>--dns host:port</c> (repeatable) and <c>--dns-timeout seconds</c>.</summary>
public sealed class DnsCliOptions
{
    public Option<string[]> Servers { get; } = new("--dns")
    {
        Description = "Name server as host:port (repeatable); default: the system's resolvers",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<double> TimeoutSeconds { get; } = NumberOptions.Seconds("--dns-timeout", "Seconds to wait for each DNS answer", defaultSeconds: 3, maxSeconds: 60);

    public void AddTo(Command command)
    {
        command.Options.Add(Servers);
        command.Options.Add(TimeoutSeconds);
        command.Validators.Add(result =>
        {
            foreach (var server in result.GetValue(Servers) ?? [])
            {
                if (!DnsOptions.TryParseEndpoint(server, out _, out var error))
                {
                    result.AddError($"--dns: {error}");
                }
            }
        });
    }

    public DnsOptions ToOptions(ParseResult result) => new()
    {
        NameServers = [.. result.GetValue(Servers) ?? []],
        TimeoutSeconds = result.GetValue(TimeoutSeconds),
        Retries = 1,
        UseCache = true,
    };
}
