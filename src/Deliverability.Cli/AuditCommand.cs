using System.CommandLine;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Dns;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor audit domain...</c>: every authentication check of one or many domains (arguments, <c>--file</c>, or
/// standard input); exit code 0 all good, 1 warnings, 2 errors, the worst over all domains.
/// </summary>
public static class AuditCommand
{
    public const int DefaultConcurrency = 32;

    /// <param name="stdin">Where <c>--file -</c> reads from; the console's standard input when null.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        var domains = new Argument<string[]>("domain")
        {
            Description = "The sending (From:) domains to audit",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var file = new Option<string?>("--file")
        {
            Description = "Read domains from FILE, one a line ('-' for standard input); blank lines and # comments are skipped, bad lines are reported and skipped",
        };
        var concurrency = NumberOptions.WholeNumber("--concurrency", $"Domains audited at once when there are many (1-1024, default {DefaultConcurrency})", DefaultConcurrency, min: 1, max: 1024);
        var csv = new Option<bool>("--csv") { Description = "Print CSV: a header, then a row per finding (RFC 4180)" };
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
        var json = new Option<bool>("--json") { Description = "Print JSON: one object for one domain; for many, one object a line (NDJSON) in input order" };
        var dns = new DnsCliOptions();

        var command = new Command("audit", "Audit sending domains: SPF, DKIM, DMARC, MX, reverse DNS, MTA-STS, TLS-RPT, BIMI and the bulk-sender rules. Exit code 0 all good, 1 warnings, 2 errors (the worst over all domains).");
        command.Arguments.Add(domains);
        command.Options.Add(file);
        command.Options.Add(concurrency);
        command.Options.Add(csv);
        command.Options.Add(selectors);
        command.Options.Add(ips);
        command.Options.Add(returnPath);
        command.Options.Add(dkimDomain);
        command.Options.Add(json);
        dns.AddTo(command);

        command.Validators.Add(result =>
        {
            var names = result.GetValue(domains) ?? [];
            var path = result.GetValue(file);
            if (names.Length == 0 && path is null)
            {
                result.AddError("give a domain to audit, or --file FILE with one domain a line");
            }

            foreach (var name in names)
            {
                if (!DomainName.TryParse(name, out _, out var problem))
                {
                    result.AddError(problem);
                }
            }

            if (path is not null && path != "-" && !File.Exists(path))
            {
                result.AddError($"--file: '{path}' does not exist");
            }

            if (result.GetValue(json) && result.GetValue(csv))
            {
                result.AddError("--json and --csv cannot be used together");
            }

            foreach (var (option, value) in new[] { ("--return-path-domain", result.GetValue(returnPath)), ("--dkim-domain", result.GetValue(dkimDomain)) })
            {
                if (value is not null && !DomainName.TryParse(value, out _, out var problem))
                {
                    result.AddError($"{option}: {problem}");
                }
            }

            foreach (var ip in result.GetValue(ips) ?? [])
            {
                if (!IpAddressText.IsValid(ip))
                {
                    result.AddError($"--ip: '{ip}' is not an IPv4 or IPv6 address");
                }
            }

            foreach (var selector in result.GetValue(selectors) ?? [])
            {
                if (!DkimSelector.IsValid(selector.Trim()))
                {
                    result.AddError($"--selector: '{selector}' is not a valid DKIM selector");
                }
            }
        });

        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var selectorList = (parsed.GetValue(selectors) ?? []).Select(DnsNames.Normalize).ToArray();
            var ipList = (parsed.GetValue(ips) ?? []).Select(IpAddressText.Parse).ToArray();
            var returnPathDomain = parsed.GetValue(returnPath) is { } r ? DomainName.Parse(r).Ascii : null;
            var dkimSigningDomain = parsed.GetValue(dkimDomain) is { } d ? DomainName.Parse(d).Ascii : null;
            using var resolver = new DnsStubResolver(dns.ToOptions(parsed));
            var auditor = new DomainAuditor(resolver, DomainChecks.All());
            Task<DomainAuditReport> Audit(string name, CancellationToken token) =>
                auditor.AuditAsync(new DomainAuditRequest(name, selectorList, ipList, returnPathDomain, dkimSigningDomain), token);

            var names = parsed.GetValue(domains) ?? [];
            var path = parsed.GetValue(file);
            var format = parsed.GetValue(json) ? AuditOutputFormat.Json : parsed.GetValue(csv) ? AuditOutputFormat.Csv : AuditOutputFormat.Text;
            if (names.Length == 1 && path is null)
            {
                // One domain: the documented single report (indented JSON or the text report).
                var report = await Audit(DomainName.Parse(names[0]).Ascii, cancellationToken);
                await BulkAuditOutput.WriteSingleAsync(report, format, stdout);
                return report.ExitCode;
            }

            var inputs = AuditInput.ReadAsync(names, path, () => stdin ?? Console.In, cancellationToken);
            var progress = await AuditProgress.ForTerminalAsync(stderr, () => CountAsync(names, path, cancellationToken));
            return await BulkAuditOutput.WriteAsync(
                OrderedAudits.RunAsync(inputs, Audit, parsed.GetValue(concurrency), cancellationToken), format, stdout, stderr, progress);
        });
        return command;
    }

    // The total for the progress bar: counting a file's lines first is cheap next to auditing them; standard input has none.
    private static async Task<long?> CountAsync(string[] names, string? path, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return null;
        }

        long count = 0;
        await foreach (var item in AuditInput.ReadAsync(names, path, () => TextReader.Null, cancellationToken))
        {
            count++;
        }

        return count;
    }
}
