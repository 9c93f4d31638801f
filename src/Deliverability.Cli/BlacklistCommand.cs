using System.CommandLine;
using System.Text.Json;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor blacklist &lt;ip-or-domain&gt;... [--zone name[=codes]]...</c>: asks DNS block lists (DNSBL, RHSBL) about
/// sending IPs and domains. Exit code 0 none listed, 1 listed somewhere, 2 no listing but at least one error or refusal.
/// </summary>
public static class BlacklistCommand
{
    public const int NoneListed = 0;
    public const int Listed = 1;
    public const int ErrorsOnly = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var targets = new Argument<string[]>("ip-or-domain")
        {
            Description = "IPv4 or IPv6 addresses (asked of IP lists) and domain names (asked of domain lists)",
            Arity = ArgumentArity.OneOrMore,
        };
        var zones = new Option<string[]>("--zone")
        {
            Description = "A list to ask instead of the defaults (repeatable): a default list by name (zen.spamhaus.org) or a custom "
                + "IP list with its listing codes (bl.example=127.0.0.2,127.0.0.4-127.0.0.7), or a custom domain list (domain:rhs.example=127.0.0.2). Default: "
                + string.Join(", ", BlacklistZones.Defaults.Select(z => z.Name)),
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object instead of text: {\"results\": [{target, zone, status, codes, meaning, delistUrl, "
                + "reason, untrusted, message}], \"zones\": [{zone, health, trusted, reason}]}, one result per target and zone",
        };
        var dns = new DnsCliOptions();

        var command = new Command("blacklist", "Check IPs and domains against DNS block lists. Status per target and zone: listed, not_listed, "
            + "refused (the list blocked the query; never a listing), error (timeout, SERVFAIL, or a zone that failed its RFC 5782 self-test). "
            + "Exit code 0 none listed, 1 listed somewhere, 2 nothing listed but at least one error or refusal.");
        command.Arguments.Add(targets);
        command.Options.Add(zones);
        command.Options.Add(json);
        dns.AddTo(command);

        command.Validators.Add(result =>
        {
            foreach (var value in result.GetValue(targets) ?? [])
            {
                if (!BlacklistTarget.TryParse(value, out _, out var error))
                {
                    result.AddError(error);
                }
            }

            foreach (var spec in result.GetValue(zones) ?? [])
            {
                try
                {
                    BlacklistZoneSpec.Parse(spec);
                }
                catch (FormatException ex)
                {
                    result.AddError($"--zone: {ex.Message}");
                }
            }
        });

        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var targetList = (parsed.GetValue(targets) ?? []).Select(BlacklistTarget.Parse).Distinct().ToList();
            var specs = parsed.GetValue(zones) ?? [];
            IReadOnlyList<BlacklistZone> zoneList = specs.Length == 0 ? BlacklistZones.Defaults : [.. specs.Select(s => BlacklistZoneSpec.Parse(s))];

            var uncovered = targetList.Where(t => !zoneList.Any(z => z.Covers(t))).ToList();
            foreach (var target in uncovered)
            {
                var kind = target.Kind == BlacklistZoneKind.Domain ? "domain" : target.IsIpv6 ? "IPv6" : "IP";
                await stderr.WriteLineAsync($"warning: no {kind} list among the zones asked covers '{target.Text}'; it was not checked");
            }

            using var resolver = new DnsStubResolver(dns.ToOptions(parsed));
            var checker = new BlacklistChecker(resolver);
            var report = await checker.CheckAsync(targetList, zoneList, cancellationToken);

            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(BlacklistOutput.From(report), Json));
            }
            else
            {
                await WriteTextAsync(stdout, targetList, report);
            }

            return ExitCode(report, uncovered.Count > 0);
        });
        return command;
    }

    /// <summary>1 when any list lists a target; otherwise 2 when any answer is missing (error, refusal, unchecked target); else 0.</summary>
    public static int ExitCode(BlacklistReport report, bool anyTargetUnchecked)
    {
        if (report.Verdicts.Any(v => v.Status == BlacklistStatus.Listed))
        {
            return Listed;
        }

        return anyTargetUnchecked || report.Verdicts.Any(v => v.Status is BlacklistStatus.Error or BlacklistStatus.Refused) ? ErrorsOnly : NoneListed;
    }

    private static async Task WriteTextAsync(TextWriter stdout, IReadOnlyList<BlacklistTarget> targets, BlacklistReport report)
    {
        foreach (var target in targets)
        {
            var verdicts = report.Verdicts.Where(v => v.Target == target).ToList();
            var listedOn = verdicts.Count(v => v.Status == BlacklistStatus.Listed);
            await stdout.WriteLineAsync($"{target.Text}: {(verdicts.Count == 0 ? "not checked (no list covers it)" : $"listed on {listedOn} of {verdicts.Count} lists")}");
            var width = verdicts.Count == 0 ? 0 : verdicts.Max(v => v.Zone.Name.Length);
            foreach (var verdict in verdicts)
            {
                await stdout.WriteLineAsync($"  {verdict.Zone.Name.PadRight(width)}  {verdict.StatusWord,-10}  {Detail(verdict)}");
            }
        }

        foreach (var zone in report.Zones.Where(z => !z.IsTrusted))
        {
            await stdout.WriteLineAsync($"zone {zone.Zone.Name} {HealthWord(zone.Status)}: {zone.Reason}");
        }
    }

    private static string Detail(BlacklistVerdict verdict)
    {
        var codes = verdict.Codes.Count == 0 ? "" : string.Join(",", verdict.Codes) + "  ";
        return verdict.Status switch
        {
            BlacklistStatus.Listed => $"{codes}{verdict.Meaning}"
                + (verdict.ReasonText is null ? "" : $"  reason: {verdict.ReasonText}")
                + (verdict.DelistUrl is null ? "" : $"  delist: {verdict.DelistUrl}"),
            BlacklistStatus.NotListed => "",
            _ => $"{codes}{verdict.Message}",
        };
    }

    private static string HealthWord(BlacklistZoneHealthStatus status) => status switch
    {
        BlacklistZoneHealthStatus.Healthy => "healthy",
        BlacklistZoneHealthStatus.Unhealthy => "unhealthy",
        BlacklistZoneHealthStatus.Refused => "refused",
        BlacklistZoneHealthStatus.Capped => "capped",
        _ => "unreachable",
    };

    /// <summary>The <c>--json</c> output: <c>results</c> (one per target and zone) and <c>zones</c> (self-test health).</summary>
    private sealed record BlacklistOutput(IReadOnlyList<BlacklistResultOutput> Results, IReadOnlyList<BlacklistZoneOutput> Zones)
    {
        public static BlacklistOutput From(BlacklistReport report) => new(
            [.. report.Verdicts.Select(BlacklistResultOutput.From)],
            [.. report.Zones.Select(z => new BlacklistZoneOutput(z.Zone.Name, HealthWord(z.Status), z.IsTrusted, z.Reason))]);
    }

    /// <summary><c>reason</c> is the list's own TXT text for a listing, or why there is no verdict (refused, error).</summary>
    private sealed record BlacklistResultOutput(
        string Target,
        string Zone,
        string Status,
        IReadOnlyList<string> Codes,
        string? Meaning,
        string? DelistUrl,
        string? Reason,
        bool Untrusted,
        string Message)
    {
        public static BlacklistResultOutput From(BlacklistVerdict v) => new(
            v.Target.Text,
            v.Zone.Name,
            v.StatusWord,
            [.. v.Codes.Select(c => c.ToString())],
            v.Meaning,
            v.DelistUrl,
            v.Status switch
            {
                BlacklistStatus.Listed => v.ReasonText,
                BlacklistStatus.NotListed => null,
                _ => v.Message,
            },
            v.Untrusted,
            v.Message);
    }

    private sealed record BlacklistZoneOutput(string Zone, string Health, bool Trusted, string Reason);
}
