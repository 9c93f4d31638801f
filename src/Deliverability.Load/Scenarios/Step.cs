namespace Deliverability.Load;

/// <summary>Times one phase of an invocation (connect, EHLO, MAIL, DATA...) as a step with its own statistics.</summary>
public static class Step
{
    /// <summary>
    /// Runs <paramref name="run"/>, records its service time and outcome under <paramref name="name"/> and returns
    /// its response. An exception becomes <see cref="Response.FromException"/> (and is not rethrown), except the
    /// run's own cancellation. The first step of an invocation also carries the invocation's start delay in its
    /// response time, so waiting for a worker shows where it happened.
    /// </summary>
    public static Task<Response> Run(string name, ScenarioContext context, Func<Task<Response>> run) =>
        StepRunner.RunAsync(name, context, run);
}
