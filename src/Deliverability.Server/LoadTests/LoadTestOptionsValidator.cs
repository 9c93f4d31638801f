using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;
using Deliverability.Core.Dns;

namespace Deliverability.Server.LoadTests;

/// <summary>Every problem of the <c>Monitor:LoadTests</c> section, each naming its key.</summary>
public sealed class LoadTestOptionsValidator : IValidateOptions<LoadTestOptions>
{
    private const string Section = LoadTestOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, LoadTestOptions options)
    {
        var problems = new List<string>();
        if (options.ScenarioFolder is { Length: > 1024 })
        {
            problems.Add($"{Section}:ScenarioFolder: at most 1024 characters");
        }

        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            var host = options.AllowedHosts[i]?.Trim() ?? "";
            if (host.Length == 0 || host.Length > TextLimits.Host || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@' or '?' or '#'))
            {
                problems.Add($"{Section}:AllowedHosts:{i}: a host name or IP address is expected (no scheme, path or port), was '{Shown(host)}'");
            }
        }

        for (var i = 0; i < options.AllowedRecipientDomains.Count; i++)
        {
            if (!DomainName.TryParse(options.AllowedRecipientDomains[i]?.Trim(), out _, out var problem))
            {
                problems.Add($"{Section}:AllowedRecipientDomains:{i}: {problem}");
            }
        }

        if (options.MaxReportBytes is < LoadTestOptions.MinReportBytes or > LoadTestOptions.MaxReportBytesLimit)
        {
            problems.Add($"{Section}:MaxReportBytes: {LoadTestOptions.MinReportBytes} to {LoadTestOptions.MaxReportBytesLimit} (was {options.MaxReportBytes})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string Shown(string text) => text.Length <= 100 ? text : text[..100] + "...";
}
