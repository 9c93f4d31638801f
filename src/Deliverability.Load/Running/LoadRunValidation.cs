namespace Deliverability.Load.Running;

/// <summary>Checks run options: each problem is one line.</summary>
internal static class LoadRunValidation
{
    public static readonly TimeSpan MaxMaxDuration = TimeSpan.FromDays(1);

    public static IReadOnlyList<string> Validate(LoadRunOptions options)
    {
        var problems = new List<string>();
        if (options.MaxDuration <= TimeSpan.Zero || options.MaxDuration > MaxMaxDuration)
        {
            problems.Add("max duration must be positive and at most 24 h");
        }

        if (options.MaxInvocations is <= 0)
        {
            problems.Add("max invocations must be positive");
        }

        if (options.ReportingInterval < TimeSpan.FromMilliseconds(100) || options.ReportingInterval > TimeSpan.FromMinutes(10))
        {
            problems.Add("reporting interval must be between 100 ms and 10 min");
        }

        if (options.LateStartTolerance < TimeSpan.Zero)
        {
            problems.Add("late start tolerance must not be negative");
        }

        if (options.GracefulStopTimeout < TimeSpan.Zero || options.GracefulStopTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add("graceful stop timeout must be between 0 and 10 min");
        }

        if (options.TestName.Length is 0 or > 200 || options.TestName.Any(char.IsControl))
        {
            problems.Add("test name must be 1 to 200 printable characters");
        }

        return problems;
    }
}
