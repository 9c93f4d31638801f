using Deliverability.Load;

namespace Deliverability.LoadScenarios;

/// <summary>Runs a <see cref="LoadTestDefinition"/>: a plain run, or a capacity search when it has <see cref="LoadTestDefinition.Capacity"/>.</summary>
public static class LoadTestExecution
{
    /// <summary>
    /// Validates the definition (<see cref="LoadConfigurationException"/>) and checks it against <paramref name="safety"/>
    /// BEFORE any connection (<see cref="LoadTestRefusedException"/>, one-line reason), then runs it, bounded by
    /// <see cref="LoadTestDefinition.MaxDuration"/> and <see cref="LoadTestDefinition.MaxMessages"/>.
    /// <paramref name="environment"/> reads the secrets the definition names (the process environment when null).
    /// </summary>
    public static async Task<LoadTestOutcome> RunAsync(LoadTestDefinition definition, LoadTestSafety safety,
        IEnumerable<IReportingSink> sinks, CancellationToken cancellationToken, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(safety);
        definition = LoadTestDefinitions.Validate(definition);
        safety.Check(definition);
        var scenario = CreateScenario(definition, environment);
        var runOptions = new LoadRunOptions
        {
            MaxDuration = definition.MaxDuration,
            MaxInvocations = definition.MaxMessages,
            TestName = definition.Name,
        };
        var sinkList = sinks?.ToList() ?? [];
        if (definition.Capacity is not { } capacity)
        {
            var report = await LoadRunner.RunAsync(scenario.WithLoadSimulations([.. definition.Load.ToSimulations()]), runOptions, sinkList, cancellationToken).ConfigureAwait(false);
            return new LoadTestOutcome(definition, report, null);
        }

        var steps = new FinalReports();
        var options = new CapacitySearchOptions
        {
            StartRate = capacity.StartRate,
            StepFactor = capacity.StepFactor,
            StepDuration = capacity.StepDuration,
            MaxRate = capacity.MaxRate,
            MaxSteps = capacity.MaxSteps,
            Tolerance = capacity.Tolerance,
            ConfirmBreaks = capacity.ConfirmBreaks,
            MaxTotalDuration = definition.MaxDuration,
            RunOptions = runOptions with { MaxDuration = definition.Load.WarmUp + capacity.StepDuration + TimeSpan.FromSeconds(30) },
        };
        var result = await CapacitySearch.RunAsync(
            rate => scenario.WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), capacity.StepDuration)),
            options, [.. sinkList, steps], cancellationToken).ConfigureAwait(false);
        return new LoadTestOutcome(definition, steps.At(result) with { Capacity = result }, result);
    }

    /// <summary>The engine's scenario for <paramref name="definition"/> (its load and thresholds set), without running it.</summary>
    public static ScenarioProps CreateScenario(LoadTestDefinition definition, Func<string, string?>? environment = null)
    {
        var scenario = definition.Kind switch
        {
            LoadTestKind.Smtp => SmtpSubmissionScenario.Create(definition.Name, definition.Smtp!, environment),
            _ => HttpSendScenario.Create(definition.Name, definition.Http!, environment),
        };
        var thresholds = definition.Thresholds.Count > 0 || definition.Capacity is null ? definition.Thresholds : CapacityShape.DefaultThresholds;
        scenario = scenario.WithLoadSimulations([.. definition.Load.ToSimulations()]).WithThresholds([.. thresholds]);
        return definition.Load.WarmUp > TimeSpan.Zero ? scenario.WithWarmUpDuration(definition.Load.WarmUp) : scenario;
    }

    /// <summary>The final report of every run of a capacity search, in the order they ran (the order of its curve).</summary>
    private sealed class FinalReports : IReportingSink
    {
        private readonly List<RunReport> _reports = [];

        public Task StartAsync(RunStartInfo run, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveRealtimeStatsAsync(RealtimeStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveFinalStatsAsync(RunReport report, CancellationToken cancellationToken)
        {
            _reports.Add(report);
            return Task.CompletedTask;
        }

        // The run at the knee, or the last one when no rate held.
        public RunReport At(CapacitySearchResult result)
        {
            if (_reports.Count == 0)
            {
                throw new InvalidOperationException("The capacity search ran no step.");
            }

            for (var i = 0; i < result.Curve.Count && i < _reports.Count; i++)
            {
                if (result.Curve[i].Held && result.Curve[i].TargetRate == result.KneeRate)
                {
                    return _reports[i];
                }
            }

            return _reports[^1];
        }
    }
}
