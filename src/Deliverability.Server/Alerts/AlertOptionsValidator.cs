using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;

namespace Deliverability.Server.Alerts;

/// <summary>Every problem of the <c>Monitor:Alerts</c> section, each naming its configuration key.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    private const string Prefix = AlertOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var problems = new List<string>();
        if (options.EvaluationInterval < TimeSpan.FromSeconds(1) || options.EvaluationInterval > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{Prefix}:EvaluationInterval: must be 1 second to 10 minutes (was {options.EvaluationInterval})");
        }

        if (!string.IsNullOrWhiteSpace(options.ExternalUrl)
            && (!Uri.TryCreate(options.ExternalUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            problems.Add($"{Prefix}:ExternalUrl: '{options.ExternalUrl}' is not an absolute http(s) address");
        }

        if (options.ResolvedRetention < TimeSpan.FromHours(1))
        {
            problems.Add($"{Prefix}:ResolvedRetention: must be at least 1 hour (was {options.ResolvedRetention})");
        }

        // The same rules the dashboard's rule editor applies to its changes.
        problems.AddRange(AlertRulesValidation.Validate(options.Rules).Select(p => $"{Prefix}:Rules:{p.Key}: {p.Message}"));
        ValidateRoute(options.Route, $"{Prefix}:Route", isRoot: true, problems);
        for (var i = 0; i < options.Inhibitions.Count; i++)
        {
            var key = $"{Prefix}:Inhibitions:{i}";
            Matchers(options.Inhibitions[i].SourceMatchers, $"{key}:SourceMatchers", problems);
            Matchers(options.Inhibitions[i].TargetMatchers, $"{key}:TargetMatchers", problems);
            if (options.Inhibitions[i].SourceMatchers.Count == 0 || options.Inhibitions[i].TargetMatchers.Count == 0)
            {
                problems.Add($"{key}: needs SourceMatchers and TargetMatchers (an empty list would match every alert)");
            }
        }

        var windows = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.MaintenanceWindows.Count; i++)
        {
            var key = $"{Prefix}:MaintenanceWindows:{i}";
            var errors = new List<string>();
            MaintenanceWindow.TryCreate(options.MaintenanceWindows[i], errors);
            problems.AddRange(errors.Select(e => $"{key}:{e}"));
            if (!string.IsNullOrWhiteSpace(options.MaintenanceWindows[i].Name) && !windows.Add(options.MaintenanceWindows[i].Name))
            {
                problems.Add($"{key}:Name: '{options.MaintenanceWindows[i].Name}' is used by another window");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateRoute(AlertRouteOptions route, string key, bool isRoot, List<string> problems)
    {
        if (isRoot && route.Matchers.Count > 0)
        {
            problems.Add($"{key}:Matchers: the root route takes every alert and has no matchers");
        }

        Matchers(route.Matchers, $"{key}:Matchers", problems);
        for (var i = 0; i < route.Receivers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(route.Receivers[i]))
            {
                problems.Add($"{key}:Receivers:{i}: is empty");
            }
        }

        foreach (var label in route.GroupBy ?? [])
        {
            if (label != "..." && (label.Length == 0 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
            {
                problems.Add($"{key}:GroupBy: '{label}' is not a label name (or '...' for all labels)");
            }
        }

        if (route.GroupWait is { } wait)
        {
            NotNegative(wait, $"{key}:GroupWait", problems);
        }

        if (route.GroupInterval is { } interval && interval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{key}:GroupInterval: must be at least 1 second (was {interval})");
        }

        if (route.RepeatInterval is { } repeat && repeat < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{key}:RepeatInterval: must be at least 1 second (was {repeat})");
        }

        for (var i = 0; i < route.Routes.Count; i++)
        {
            ValidateRoute(route.Routes[i], $"{key}:Routes:{i}", isRoot: false, problems);
        }
    }

    private static void Matchers(List<string> matchers, string key, List<string> problems)
    {
        for (var i = 0; i < matchers.Count; i++)
        {
            try
            {
                AlertMatcher.Parse(matchers[i]);
            }
            catch (FormatException ex)
            {
                problems.Add($"{key}:{i}: {ex.Message}");
            }
        }
    }

    private static void NotNegative(TimeSpan value, string key, List<string> problems)
    {
        if (value < TimeSpan.Zero)
        {
            problems.Add($"{key}: must not be negative (was {value})");
        }
    }
}
