using Microsoft.Extensions.Options;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Domains;

/// <summary>Every problem of the <c>Monitor</c> section, each naming its configuration key.</summary>
public sealed class MonitorOptionsValidator : IValidateOptions<MonitorOptions>
{
    private const string Prefix = MonitorOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, MonitorOptions options)
    {
        var problems = new List<string>();
        var seen = new Dictionary<DomainName, int>();
        for (var i = 0; i < options.Domains.Count; i++)
        {
            ValidateDomain(options.Domains[i], $"{Prefix}:Domains:{i}", problems);

            // One domain however it is written: Bücher.Example. and xn--bcher-kva.example are the same.
            if (DomainName.TryParse(options.Domains[i].Name, out var domain, out _) && !seen.TryAdd(domain, i))
            {
                problems.Add($"{Prefix}:Domains:{i}:Name: '{domain}' is already configured at {Prefix}:Domains:{seen[domain]}");
            }
        }

        if (!AuditSchedule.TryParse(options.Audit.Schedule, out _, out var scheduleError))
        {
            problems.Add($"{Prefix}:Audit:Schedule: {scheduleError}");
        }

        if (options.Audit.MaxConcurrency is < 1 or > 1024)
        {
            problems.Add($"{Prefix}:Audit:MaxConcurrency: must be 1 to 1024 (was {options.Audit.MaxConcurrency})");
        }

        if (options.Audit.FirstRunDelay < TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:Audit:FirstRunDelay: must not be negative (was {options.Audit.FirstRunDelay})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateDomain(MonitoredDomain domain, string key, List<string> problems) =>
        problems.AddRange(MonitoredDomainRules.Problems(domain).Select(p => p.WithKey(key)));
}
