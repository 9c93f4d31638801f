using System.Globalization;
using Quartz;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// <c>Monitor:Audit:Schedule</c>: an interval written as a TimeSpan (<c>00:15:00</c>, <c>1.00:00:00</c>) or a Quartz
/// cron expression with a seconds field (<c>0 0/15 * * * ?</c>).
/// </summary>
public sealed record AuditSchedule(TimeSpan? Interval, string? Cron)
{
    public static bool TryParse(string? text, out AuditSchedule schedule, out string error)
    {
        schedule = new AuditSchedule(null, null);
        error = "";
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "the schedule is empty (an interval like '00:15:00' or a cron expression like '0 0/15 * * * ?')";
            return false;
        }

        // A bare number would parse as days; an interval must spell its hours and minutes.
        if (value.Contains(':') && !value.Contains(' ') && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var interval))
        {
            if (interval < TimeSpan.FromSeconds(1))
            {
                error = $"'{value}' is shorter than one second";
                return false;
            }

            schedule = new AuditSchedule(interval, null);
            return true;
        }

        try
        {
            _ = new CronExpression(value);
            schedule = new AuditSchedule(null, value);
            return true;
        }
        catch (FormatException ex)
        {
            error = $"'{value}' is neither an interval like '00:15:00' nor a valid cron expression ({ex.Message})";
            return false;
        }
    }
}

/// <summary>The one way a job's repeating trigger follows a configured schedule (audit, blacklists, placement).</summary>
public static class ScheduleTrigger
{
    /// <summary>
    /// Fires on <paramref name="schedule"/>: its cron expression, or its interval with the first fire one interval after
    /// <paramref name="intervalFrom"/>. Call on validated options; <paramref name="fallbackInterval"/> is never needed then.
    /// </summary>
    public static void RepeatOn(this ITriggerConfigurator<IJob> trigger, string schedule, TimeSpan fallbackInterval, DateTimeOffset intervalFrom)
    {
        _ = AuditSchedule.TryParse(schedule, out var parsed, out _); // validated at start
        if (parsed.Cron is { } cron)
        {
            trigger.WithCronSchedule(cron);
            return;
        }

        var interval = parsed.Interval ?? fallbackInterval;
        trigger.StartAt(intervalFrom + interval).WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever());
    }
}
