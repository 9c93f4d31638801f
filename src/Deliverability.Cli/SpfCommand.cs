using System.CommandLine;
using System.Text.Json;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;

namespace Deliverability.Cli;

/// <summary><c>monitor spf check --ip --sender --helo</c>: RFC 7208 check_host() of one client IP.</summary>
public static class SpfCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("spf", "SPF (RFC 7208) evaluation");
        command.Subcommands.Add(CreateCheck(stdout));
        return command;
    }

    private static Command CreateCheck(TextWriter stdout)
    {
        var ip = new Option<string>("--ip") { Description = "The SMTP client's IP address (IPv4 or IPv6)", Required = true };
        var sender = new Option<string>("--sender") { Description = "The MAIL FROM address; empty checks the HELO identity", DefaultValueFactory = _ => "" };
        var helo = new Option<string>("--helo") { Description = "The HELO/EHLO name", DefaultValueFactory = _ => "" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var dnsOptions = new DnsCliOptions();

        var command = new Command("check", "Evaluate check_host() for a client IP, a MAIL FROM and a HELO name (exit 0 whatever the result)");
        command.Options.Add(ip);
        command.Options.Add(sender);
        command.Options.Add(helo);
        command.Options.Add(json);
        dnsOptions.AddTo(command);
        command.Validators.Add(result =>
        {
            var ipText = result.GetValue(ip);
            if (ipText is not null && !IpAddressText.IsValid(ipText))
            {
                result.AddError($"--ip: '{ipText}' is not an IPv4 or IPv6 address");
            }

            var senderText = result.GetValue(sender) ?? "";
            var heloText = result.GetValue(helo) ?? "";
            if (senderText.Length == 0 && heloText.Length == 0)
            {
                result.AddError("--sender and --helo are both empty: give the MAIL FROM address, or --helo to check the HELO identity");
            }
            else if (senderText.Length > 0 && senderText.EndsWith('@'))
            {
                result.AddError($"--sender: '{senderText}' has no domain after '@'");
            }
        });

        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            using var resolver = new DnsStubResolver(dnsOptions.ToOptions(parsed));
            var evaluator = new SpfEvaluator(resolver);
            var senderText = parsed.GetValue(sender) ?? "";
            var heloText = parsed.GetValue(helo) ?? "";
            var evaluation = await evaluator.CheckSenderAsync(IpAddressText.Parse(parsed.GetValue(ip)!), senderText, heloText, cancellationToken);
            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(SpfCheckOutput.From(evaluation, senderText, heloText), Json));
            }
            else
            {
                await WriteTextAsync(stdout, evaluation);
            }

            return 0;
        });
        return command;
    }

    private static async Task WriteTextAsync(TextWriter stdout, SpfEvaluation evaluation)
    {
        await stdout.WriteLineAsync($"SPF result:  {evaluation.ResultText}");
        await stdout.WriteLineAsync($"Client IP:   {evaluation.Ip}");
        await stdout.WriteLineAsync($"Domain:      {evaluation.Domain}");
        if (evaluation.Explanation is not null)
        {
            await stdout.WriteLineAsync($"Explanation: {evaluation.Explanation}");
        }

        await stdout.WriteLineAsync(evaluation.Mechanism is null
            ? "Mechanism:   none matched"
            : $"Mechanism:   {evaluation.Mechanism} (in {evaluation.MechanismDomain})");
        if (evaluation.Problem is not null)
        {
            await stdout.WriteLineAsync($"Problem:     {evaluation.Problem}");
        }

        await stdout.WriteLineAsync($"Lookups:     {evaluation.LookupCount} of 10 DNS-querying terms, {evaluation.VoidLookupCount} of 2 void lookups");
    }

    /// <summary>The <c>--json</c> output.</summary>
    private sealed record SpfCheckOutput(
        string Result,
        string? Explanation,
        string Ip,
        string Sender,
        string Helo,
        string Domain,
        string? Mechanism,
        string? MechanismDomain,
        string? Problem,
        int Lookups,
        int VoidLookups,
        IReadOnlyList<string> Trace)
    {
        public static SpfCheckOutput From(SpfEvaluation e, string sender, string helo) => new(
            e.ResultText, e.Explanation, e.Ip.ToString(), sender, helo, e.Domain, e.Mechanism, e.MechanismDomain, e.Problem,
            e.LookupCount, e.VoidLookupCount, e.Trace);
    }
}
