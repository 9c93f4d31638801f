using Microsoft.Extensions.Options;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Forecasts;

/// <summary>Every problem of the <c>Monitor:Forecasts</c> section, each naming its key.</summary>
public sealed class ForecastOptionsValidator : IValidateOptions<ForecastOptions>
{
    private const string Section = ForecastOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ForecastOptions options)
    {
        var problems = new List<string>();
        if (!AuditSchedule.TryParse(options.Schedule, out _, out var scheduleError))
        {
            problems.Add($"{Section}:Schedule: {scheduleError}");
        }

        if (options.Horizon < TimeSpan.FromHours(1) || options.Horizon > ForecastOptions.MaxHorizon)
        {
            problems.Add($"{Section}:Horizon: from 01:00:00 to {ForecastOptions.MaxHorizon.TotalDays:0}.00:00:00 (was {options.Horizon})");
        }

        if (options.IntervalLevel is <= 0.5 or >= 1 || double.IsNaN(options.IntervalLevel))
        {
            problems.Add($"{Section}:IntervalLevel: a share above 0.5 and under 1, e.g. 0.9 (was {options.IntervalLevel})");
        }

        if (options.SafetyMargin is < 0 or > 10 || double.IsNaN(options.SafetyMargin))
        {
            problems.Add($"{Section}:SafetyMargin: a share from 0 to 10, e.g. 0.3 for 30 % (was {options.SafetyMargin})");
        }

        if (options.LoadTestMaxAgeDays is < 1 or > 3650)
        {
            problems.Add($"{Section}:LoadTestMaxAgeDays: 1 to 3650 days (was {options.LoadTestMaxAgeDays})");
        }

        for (var i = 0; i < options.PeakDays.Count; i++)
        {
            var day = options.PeakDays[i];
            if (day?.Date is null)
            {
                problems.Add($"{Section}:PeakDays:{i}:Date: a date such as 2026-12-01 is expected");
            }

            if (day?.Name is { Length: > 100 })
            {
                problems.Add($"{Section}:PeakDays:{i}:Name: at most 100 characters");
            }
        }

        foreach (var (stream, mapping) in options.Streams)
        {
            if (!StreamNames.IsValid(stream))
            {
                problems.Add($"{Section}:Streams:{StreamNames.Shown(stream)}: a stream name is {StreamNames.Rule}");
            }

            var sendPath = mapping?.SendPath?.Trim();
            if (string.IsNullOrEmpty(sendPath) || sendPath.Length > 200 || sendPath.Any(char.IsControl))
            {
                problems.Add($"{Section}:Streams:{StreamNames.Shown(stream)}:SendPath: the name of a send path (1 to 200 characters) is expected");
            }
        }

        if (options.MaxHistoryBytes is < ForecastOptions.MinHistoryBytes or > ForecastOptions.MaxHistoryBytesLimit)
        {
            problems.Add($"{Section}:MaxHistoryBytes: {ForecastOptions.MinHistoryBytes} to {ForecastOptions.MaxHistoryBytesLimit} (was {options.MaxHistoryBytes})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
