using Microsoft.Extensions.Options;

namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>Every problem of the <c>Monitor:Sending</c> section, each naming its key.</summary>
public sealed class SendingOptionsValidator : IValidateOptions<SendingOptions>
{
    private const string Section = SendingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SendingOptions options)
    {
        var problems = new List<string>();
        Between(options.ProcessInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "ProcessInterval", problems);
        if (options.BatchSize is < 1 or > 50_000)
        {
            problems.Add($"{Section}:BatchSize: 1 to 50000 events (was {options.BatchSize})");
        }

        Between(options.RateWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), "RateWindow", problems);
        Between(options.ComplaintWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), "ComplaintWindow", problems);
        Between(options.LatencyWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), "LatencyWindow", problems);
        Between(options.VolumeWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), "VolumeWindow", problems);
        Between(options.VolumeLag, TimeSpan.Zero, TimeSpan.FromHours(1), "VolumeLag", problems);
        Between(options.ThrottlingWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), "ThrottlingWindow", problems);
        Between(options.CriticalWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7), "CriticalWindow", problems);
        Between(options.LatencyP95Warning, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "LatencyP95Warning", problems);
        Between(options.LatencyP95Critical, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "LatencyP95Critical", problems);
        if (options.LatencyP95Critical < options.LatencyP95Warning)
        {
            problems.Add($"{Section}:LatencyP95Critical: must not be under LatencyP95Warning ({options.LatencyP95Warning}) (was {options.LatencyP95Critical})");
        }

        foreach (var (threshold, key) in new[] { (options.Bounce, "Bounce"), (options.Block, "Block"), (options.Deferral, "Deferral"), (options.Complaint, "Complaint") })
        {
            if (threshold is null)
            {
                problems.Add($"{Section}:{key}: missing");
                continue;
            }

            Share(threshold.Warning, $"{key}:Warning", problems);
            Share(threshold.Critical, $"{key}:Critical", problems);
            if (threshold.Critical < threshold.Warning)
            {
                problems.Add($"{Section}:{key}:Critical: must not be under {key}:Warning ({threshold.Warning}) (was {threshold.Critical})");
            }
        }

        Count(options.MinEvents, "MinEvents", problems);
        Count(options.MinDelivered, "MinDelivered", problems);
        Count(options.MinLatencySamples, "MinLatencySamples", problems);
        Count(options.MinExpectedVolume, "MinExpectedVolume", problems);
        Count(options.MinThrottlingEvents, "MinThrottlingEvents", problems);
        if (options.VolumeLowRatio is <= 0 or >= 1 || double.IsNaN(options.VolumeLowRatio))
        {
            problems.Add($"{Section}:VolumeLowRatio: a share above 0 and under 1, e.g. 0.5 (was {options.VolumeLowRatio})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string key, List<string> problems)
    {
        if (value < min || value > max)
        {
            problems.Add($"{Section}:{key}: from {min} to {max} (was {value})");
        }
    }

    private static void Share(double value, string key, List<string> problems)
    {
        if (value is <= 0 or > 1 || double.IsNaN(value))
        {
            problems.Add($"{Section}:{key}: a share above 0 and at most 1, e.g. 0.001 for 0.1 % (was {value})");
        }
    }

    private static void Count(int value, string key, List<string> problems)
    {
        if (value is < 1 or > 10_000_000)
        {
            problems.Add($"{Section}:{key}: 1 to 10000000 (was {value})");
        }
    }
}
