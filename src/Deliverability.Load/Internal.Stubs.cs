namespace Deliverability.Load;

internal static class CapacitySearchRun
{
    public static Task<CapacitySearchResult> ExecuteAsync(Func<double, ScenarioProps> scenarioForRate, CapacitySearchOptions options, IEnumerable<IReportingSink>? sinks, CancellationToken cancellationToken) => throw new NotImplementedException();
    public static IReadOnlyList<string> Validate(CapacitySearchOptions options) => throw new NotImplementedException();
}
