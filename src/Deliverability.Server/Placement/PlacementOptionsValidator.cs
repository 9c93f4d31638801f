using Microsoft.Extensions.Options;
using Deliverability.Core.Placement;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Placement;

/// <summary>Every problem of the <c>Monitor:Placement</c> section, each naming its key (passwords are never echoed).</summary>
public sealed class PlacementOptionsValidator : IValidateOptions<PlacementOptions>
{
    public ValidateOptionsResult Validate(string? name, PlacementOptions options)
    {
        var problems = PlacementOptionsValidation.Problems(options).ToList();
        if (!AuditSchedule.TryParse(options.Schedule, out _, out var scheduleError))
        {
            problems.Add($"{PlacementOptions.SectionName}:Schedule: {scheduleError}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
