namespace Deliverability.Core.Authentication.Spf;

/// <summary>Limits and local values of the evaluator.</summary>
public sealed class SpfEvaluatorOptions
{
    /// <summary>Mechanisms and modifiers that query DNS, per evaluation (section 4.6.4: 10).</summary>
    public int MaxLookups { get; init; } = 10;

    /// <summary>Lookups that find nothing, per evaluation (section 4.6.4: 2).</summary>
    public int MaxVoidLookups { get; init; } = 2;

    /// <summary>The longest an evaluation may take (section 4.6.4 asks for at least 20 seconds); beyond it the result is temperror.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary><c>%{r}</c> in explanations: the name of the receiving host.</summary>
    public string ReceivingHost { get; init; } = "unknown";

    /// <summary>The clock of <c>%{t}</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
