using System.Globalization;
using Deliverability.Load;
using Deliverability.LoadScenarios;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Deliverability.Cli.LoadTests;

/// <summary>
/// The live line on standard error while a load test runs: target and achieved rate, p99, errors, late and dropped
/// starts, time left. Shown only when standard error is the console's and a terminal; every text from outside (a
/// scenario name) is escaped for Spectre's markup.
/// </summary>
internal sealed class LoadTestProgress : IReportingSink
{
    private readonly IAnsiConsole _console;
    private readonly TimeSpan _planned;
    private LiveDisplayContext? _live;
    private TimeSpan _maxDuration;

    private LoadTestProgress(IAnsiConsole console, TimeSpan planned)
    {
        _console = console;
        _planned = planned;
    }

    public static LoadTestProgress? ForTerminal(TextWriter stderr, LoadTestDefinition definition)
    {
        var terminal = TerminalSafeWriter.Beneath(stderr);
        if (!ReferenceEquals(terminal, Console.Error) || Console.IsErrorRedirected)
        {
            return null;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var planned = definition.Capacity is null ? definition.Load.WarmUp + definition.Load.SimulatedDuration : definition.MaxDuration;
        return new LoadTestProgress(console, planned);
    }

    public async Task<T> RunAsync<T>(Func<IReportingSink, Task<T>> run)
    {
        T result = default!;
        await _console.Live(new Markup("starting...")).AutoClear(true).StartAsync(async context =>
        {
            _live = context;
            result = await run(this);
        });
        return result;
    }

    public Task StartAsync(RunStartInfo run, CancellationToken cancellationToken)
    {
        _maxDuration = run.MaxDuration;
        return Task.CompletedTask;
    }

    public Task SaveRealtimeStatsAsync(RealtimeStats stats, CancellationToken cancellationToken)
    {
        if (_live is null)
        {
            return Task.CompletedTask;
        }

        var total = _planned > TimeSpan.Zero && _planned < _maxDuration ? _planned : _maxDuration;
        var left = total - stats.Elapsed;
        var rows = stats.Scenarios.Select(scenario => (IRenderable)new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(scenario.Scenario)}[/]{(scenario.WarmingUp ? " [yellow](warm-up)[/]" : "")}  rate [cyan]{scenario.IntervalRps:0.#}/s[/] of {scenario.TargetRate:0.#}/s  p99 [cyan]{scenario.IntervalP99Ms:0.#} ms[/]  errors {(scenario.Failed > 0 ? "[red]" : "[green]")}{scenario.Failed}[/] ({scenario.ErrorRate * 100:0.##}%)  late {scenario.LateStarts}  dropped {scenario.DroppedStarts}  active {scenario.Active}  left {Math.Max(0, left.TotalSeconds):0}s")));
        _live.UpdateTarget(new Rows(rows));
        _live.Refresh();
        return Task.CompletedTask;
    }

    public Task SaveFinalStatsAsync(RunReport report, CancellationToken cancellationToken) => Task.CompletedTask;
}
