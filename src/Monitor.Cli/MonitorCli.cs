using System.CommandLine;

namespace Monitor.Cli;

/// <summary>The <c>monitor</c> command: one subcommand per capability, each in its own file.</summary>
public static class MonitorCli
{
    /// <summary>Exit code for bad usage (unknown option, missing or malformed value).</summary>
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Deliverability monitor: audit sending domains (SPF, DKIM, DMARC, MX, reverse DNS, MTA-STS, TLS-RPT, BIMI) and check IPs and domains against DNS block lists.");
        foreach (var command in Commands(stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}");
            }

            await stderr.WriteLineAsync("Run 'monitor --help' for usage.");
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }

    private static IEnumerable<Command> Commands(TextWriter stdout, TextWriter stderr)
    {
        yield return SpfCommand.Create(stdout, stderr);
        yield return AuditCommand.Create(stdout, stderr);
        yield return BlacklistCommand.Create(stdout, stderr);
        yield return PlacementCommand.Create(stdout, stderr);
        yield return SecretCommand.Create(stdout, stderr);
        yield return AlertsCommand.Create(stdout, stderr);
    }
}
