using System.CommandLine;
using System.CommandLine.Parsing;
using Deliverability.Cli.Dmarc;
using Deliverability.Cli.Forecasts;
using Deliverability.Cli.LoadTests;
using Deliverability.Cli.MessageChecks;

namespace Deliverability.Cli;

/// <summary>The <c>monitor</c> command: one subcommand per capability, each in its own file.</summary>
public static class MonitorCli
{
    /// <summary>Exit code for bad usage (unknown option, missing or malformed value).</summary>
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        // What DNS records, mail servers and the service say is printed, never obeyed by the terminal.
        stdout = new TerminalSafeWriter(stdout);
        stderr = new TerminalSafeWriter(stderr);
        var parsed = CreateRootCommand(stdout, stderr).Parse(args, Parser());
        if (parsed.Errors.Count > 0)
        {
            // One line per problem (a recursive option's problem is reported by each command that has it: once here);
            // the last one says where the usage is.
            var messages = parsed.Errors.Select(e => e.Message.TrimEnd('.')).Distinct(StringComparer.Ordinal).ToList();
            for (var i = 0; i < messages.Count; i++)
            {
                await stderr.WriteLineAsync(i < messages.Count - 1
                    ? $"error: {messages[i]}"
                    : $"error: {messages[i]}. Run 'monitor {CommandPath(parsed.CommandResult)}--help' for usage.");
            }

            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }

    /// <summary>Every command, as <see cref="RunAsync"/> parses them.</summary>
    public static RootCommand CreateRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Deliverability monitor: audit sending domains (SPF, DKIM, DMARC, MX, reverse DNS, MTA-STS, TLS-RPT, BIMI) and check IPs and domains against DNS block lists.");
        foreach (var command in Commands(stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        GuardValidators(root);
        return root;
    }

    /// <summary>
    /// Response files are off: an argument starting with '@' is a value (the null sender <c>@example.net</c> of RFC 7208,
    /// a password), never the name of a file whose lines become arguments.
    /// </summary>
    private static ParserConfiguration Parser() => new() { ResponseFileTokenReplacer = null };

    /// <summary>
    /// A command validator reads the values it checks, and reading a value that did not parse (<c>--dns-timeout abc</c>,
    /// an option given twice) throws, although the parser has already recorded that error. The validator stops there;
    /// the usage error is reported like any other.
    /// </summary>
    private static void GuardValidators(Command command)
    {
        for (var i = 0; i < command.Validators.Count; i++)
        {
            var validate = command.Validators[i];
            command.Validators[i] = result =>
            {
                try
                {
                    validate(result);
                }
                catch (InvalidOperationException)
                {
                    // The value's own parse error is in the result's errors.
                }
            };
        }

        foreach (var subcommand in command.Subcommands)
        {
            GuardValidators(subcommand);
        }
    }

    /// <summary>"spf check " for <c>monitor spf check</c>: the words after <c>monitor</c>, each followed by a space.</summary>
    private static string CommandPath(CommandResult command)
    {
        var words = new List<string>();
        for (var result = command; result.Parent is CommandResult parent; result = parent)
        {
            words.Insert(0, result.Command.Name);
        }

        return string.Concat(words.Select(w => w + " "));
    }

    private static IEnumerable<Command> Commands(TextWriter stdout, TextWriter stderr)
    {
        yield return SpfCommand.Create(stdout, stderr);
        yield return AuditCommand.Create(stdout, stderr);
        yield return BlacklistCommand.Create(stdout, stderr);
        yield return PlacementCommand.Create(stdout, stderr);
        yield return SecretCommand.Create(stdout, stderr);
        yield return DbCommand.Create(stdout, stderr);
        yield return AlertsCommand.Create(stdout, stderr);
        yield return LoadTestCommand.Create(stdout, stderr);
        yield return ForecastCommand.Create(stdout, stderr);
        yield return MessageCommand.Create(stdout, stderr);
        yield return DmarcCommand.Create(stdout, stderr);
    }
}
