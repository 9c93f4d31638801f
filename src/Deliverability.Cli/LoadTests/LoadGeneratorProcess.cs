namespace Deliverability.Cli.LoadTests;

/// <summary>
/// Process settings for <c>monitor loadtest</c>, applied first thing in <c>Main</c> because the runtime reads them once,
/// when sockets and the thread pool are first used. On a small machine a generator loses most of its CPU to thread
/// hand-offs and spinning, not to HTTP or SMTP: measured with <c>bench.sh loadtest-http</c> (docs/benchmarks.md).
/// A setting already in the environment wins.
/// </summary>
internal static class LoadGeneratorProcess
{
    /// <summary>Socket completions run their continuation on the event thread that saw them, not after a hop to the pool.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Idle pool threads sleep at once instead of spinning for work (the spin steals the cores the I/O needs).</summary>
    public const string SpinLimitVariable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";
    private const string SpinLimitSetting = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>No diagnostics handler around each request: load carries only the headers its scenario names.</summary>
    private const string ActivityPropagationSwitch = "System.Net.Http.EnableActivityPropagation";
    private const string ActivityPropagationVariable = "DOTNET_SYSTEM_NET_HTTP_ENABLEACTIVITYPROPAGATION";

    public static void Tune(string[] args)
    {
        if (args.Length == 0 || args[0] != "loadtest")
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        if (Environment.GetEnvironmentVariable(SpinLimitVariable) is null)
        {
            AppContext.SetData(SpinLimitSetting, 0);
        }

        if (Environment.GetEnvironmentVariable(ActivityPropagationVariable) is null)
        {
            AppContext.SetSwitch(ActivityPropagationSwitch, false);
        }
    }
}
