using System.CommandLine;
using System.Globalization;
using Monitor.Core.Dns;

namespace Monitor.Cli;

/// <summary>The DNS options every network command takes: <c>--dns host:port</c> (repeatable) and <c>--dns-timeout seconds</c>.</summary>
public sealed class DnsCliOptions
{
    public Option<string[]> Servers { get; } = new("--dns")
    {
        Description = "Name server as host:port (repeatable); default: the system's resolvers",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<double> TimeoutSeconds { get; } = new("--dns-timeout")
    {
        Description = "Seconds to wait for each DNS answer",
        DefaultValueFactory = _ => 3,
    };

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

            // In a command validator GetValue does not apply DefaultValueFactory (it gives 0): only check a value that was given.
            var given = result.GetResult(TimeoutSeconds);
            if (given is null || given.Implicit)
            {
                return;
            }

            var timeout = given.GetValueOrDefault<double>();
            if (!(timeout > 0 && timeout <= 60))
            {
                result.AddError($"--dns-timeout: must be more than 0 and at most 60 seconds (was {timeout.ToString(CultureInfo.InvariantCulture)})");
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
