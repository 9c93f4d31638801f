namespace Deliverability.Load
{
    internal static class ScenarioValidation { public static IReadOnlyList<string> Validate(ScenarioProps scenario) => throw new NotImplementedException(); }
    internal static class StepRunner { public static Task<Response> RunAsync(string name, ScenarioContext context, Func<Task<Response>> run) => throw new NotImplementedException(); }
    internal static class LoadSimulationText { public static string Describe(LoadSimulation simulation) => throw new NotImplementedException(); }
    internal static class LoadPlanBuilder { public static LoadPlan Build(IReadOnlyList<LoadSimulation> simulations, int seed, Func<IReadOnlyList<LoadPlanSegment>, bool, LoadPlan> create) => throw new NotImplementedException(); }
    internal static class ThresholdParser { public static bool TryParse(string? text, out Threshold? threshold, out string? error) => throw new NotImplementedException(); }
    internal static class RunReportJson { public static string Serialize(RunReport report, bool indented) => throw new NotImplementedException(); public static RunReport Deserialize(string json) => throw new NotImplementedException(); }
    internal static class RunReportMerge { public static RunReport Merge(RunReport[] reports) => throw new NotImplementedException(); }
    internal static class LatencyHistogram { public static double ValueAtPercentileMs(string histogram, double percentile) => throw new NotImplementedException(); }
    internal static class CapacitySearchRun
    {
        public static Task<CapacitySearchResult> ExecuteAsync(Func<double, ScenarioProps> scenarioForRate, CapacitySearchOptions options, IEnumerable<IReportingSink>? sinks, CancellationToken cancellationToken) => throw new NotImplementedException();
        public static IReadOnlyList<string> Validate(CapacitySearchOptions options) => throw new NotImplementedException();
    }
}

namespace Deliverability.Load.Running
{
    internal sealed class ScenarioStats;
    internal static class LoadRun { public static Task<RunReport> ExecuteAsync(IEnumerable<ScenarioProps> scenarios, LoadRunOptions options, IEnumerable<IReportingSink>? sinks, CancellationToken cancellationToken) => throw new NotImplementedException(); }
    internal static class LoadRunValidation { public static IReadOnlyList<string> Validate(LoadRunOptions options) => throw new NotImplementedException(); }
}
