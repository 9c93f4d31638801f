using System.CommandLine;
using System.Net;
using Monitor.Core.Audits;
using Monitor.Core.Dns;

namespace Monitor.Cli;

/// <summary><c>monitor audit domain</c>: every authentication check of a domain; exit code 0 all good, 1 warnings, 2 errors.</summary>
public static class AuditCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var domain = new Argument<string>("domain") { Description = "The sending (From:) domain to audit" };
        var selectors = new Option<string[]>("--selector")
        {
            Description = "DKIM selector to check at <selector>._domainkey.<domain> (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var ips = new Option<string[]>("--ip")
        {
            Description = "An IP address the domain sends from: SPF must pass and reverse DNS must be forward-confirmed (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var returnPath = new Option<string?>("--return-path-domain") { Description = "The MAIL FROM domain SPF authenticates (default: the domain)" };
        var dkimDomain = new Option<string?>("--dkim-domain") { Description = "The d= domain of the DKIM signatures (default: the domain)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var dns = new DnsCliOptions();

        var command = new Command("audit", "Audit a sending domain: SPF, DKIM, DMARC, MX, reverse DNS, MTA-STS, TLS-RPT, BIMI and the bulk-sender rules. Exit code 0 all good, 1 warnings, 2 errors.");
        command.Arguments.Add(domain);
        command.Options.Add(selectors);
        command.Options.Add(ips);
        command.Options.Add(returnPath);
        command.Options.Add(dkimDomain);
        command.Options.Add(json);
        dns.AddTo(command);

        command.Validators.Add(result =>
        {
            var name = result.GetValue(domain) ?? "";
            if (!DnsNames.IsValidDomain(name))
            {
                result.AddError($"'{name}' is not a valid domain name (expected something like example.com)");
            }

            foreach (var (option, value) in new[] { ("--return-path-domain", result.GetValue(returnPath)), ("--dkim-domain", result.GetValue(dkimDomain)) })
            {
                if (value is not null && !DnsNames.IsValidDomain(value))
                {
                    result.AddError($"{option}: '{value}' is not a valid domain name");
                }
            }

            foreach (var ip in result.GetValue(ips) ?? [])
            {
                if (!IPAddress.TryParse(ip, out _) || !(ip.Contains(':') || ip.Count(c => c == '.') == 3))
                {
                    result.AddError($"--ip: '{ip}' is not an IPv4 or IPv6 address");
                }
            }

            foreach (var selector in result.GetValue(selectors) ?? [])
            {
                if (selector.Length == 0 || !DnsNames.IsQueryable($"{selector}._domainkey.example.com", out _)
                    || !selector.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    result.AddError($"--selector: '{selector}' is not a valid DKIM selector");
                }
            }
        });

        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var request = new DomainAuditRequest(
                DnsNames.Normalize(parsed.GetValue(domain)!),
                [.. (parsed.GetValue(selectors) ?? []).Select(DnsNames.Normalize)],
                [.. (parsed.GetValue(ips) ?? []).Select(IPAddress.Parse)],
                parsed.GetValue(returnPath) is { } r ? DnsNames.Normalize(r) : null,
                parsed.GetValue(dkimDomain) is { } d ? DnsNames.Normalize(d) : null);
            var auditor = new DomainAuditor(new DnsStubResolver(dns.ToOptions(parsed)), DomainChecks.All());
            var report = await auditor.AuditAsync(request, cancellationToken);

            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(AuditReportJson.Serialize(report));
            }
            else
            {
                await AuditReportText.WriteAsync(report, stdout);
            }

            return report.ExitCode;
        });
        return command;
    }
}
