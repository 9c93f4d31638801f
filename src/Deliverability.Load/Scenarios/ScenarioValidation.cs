namespace Deliverability.Load;

/// <summary>Checks a scenario before a run: each problem is one line naming the scenario.</summary>
internal static class ScenarioValidation
{
    public const int MaxConcurrencyLimit = 10_000;
    public const int MaxNameLength = 100;

    public static IReadOnlyList<string> Validate(ScenarioProps scenario)
    {
        var problems = new List<string>();
        var name = scenario.Name;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            problems.Add($"scenario name must be 1 to {MaxNameLength} characters");
            name = "?";
        }

        if (LoadPlanBuilder.Problem(scenario.LoadSimulations) is { } planProblem)
        {
            problems.Add($"scenario '{name}': {planProblem}");
        }

        if (scenario.MaxConcurrency is < 1 or > MaxConcurrencyLimit)
        {
            problems.Add($"scenario '{name}': max concurrency must be between 1 and {MaxConcurrencyLimit}");
        }

        if (scenario.MaxBacklog is < 0)
        {
            problems.Add($"scenario '{name}': max backlog must be 0 or more");
        }

        if (scenario.WarmUpDuration < TimeSpan.Zero)
        {
            problems.Add($"scenario '{name}': warm-up duration must not be negative");
        }

        if (scenario.InvocationTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            problems.Add($"scenario '{name}': invocation timeout must be positive");
        }

        return problems;
    }
}
