using Microsoft.Extensions.Options;
using Deliverability.Core.Blacklists;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Blacklists;

/// <summary>Every problem of the <c>Monitor:Blacklists</c> section, each naming its configuration key.</summary>
public sealed class BlacklistOptionsValidator : IValidateOptions<BlacklistOptions>
{
    public ValidateOptionsResult Validate(string? name, BlacklistOptions options)
    {
        var problems = new List<string>();
        if (!AuditSchedule.TryParse(options.Schedule, out _, out var scheduleError))
        {
            problems.Add($"{BlacklistOptions.SectionName}:Schedule: {scheduleError}");
        }

        problems.AddRange(BlacklistConfiguration.Validate(options));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
