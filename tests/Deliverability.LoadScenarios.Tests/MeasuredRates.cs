namespace Deliverability.LoadScenarios.Tests;

/// <summary>
/// Tests whose verdict depends on the rate the generator really offers (a knee, a stall seen in p99) run alone, after
/// the others: on two cores a parallel test class would bunch the generator's starts and move the knee.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredRates
{
    public const string Name = "Measured rates";
}
