using System.Reflection;
using Microsoft.Extensions.Options;

namespace Deliverability.Server.Infrastructure;

public static class StartupChecks
{
    /// <summary>Exit code of a start refused for its configuration.</summary>
    public const int BadConfiguration = 1;

    /// <summary>
    /// Whether the service may start. When not, every problem has been printed once, on stderr, in plain words naming
    /// its key (no stack trace): first every options section at once (values that do not convert included), then, when
    /// they are valid, the <see cref="IStartupCheck"/>s. Call it right after <c>Build()</c>, before anything reads options.
    /// </summary>
    public static async Task<bool> CheckConfigurationAsync(this WebApplication app)
    {
        if (Assembly.GetEntryAssembly() != typeof(StartupChecks).Assembly)
        {
            // Hosted by another program (WebApplicationFactory, design-time tools): it reports a failed start itself,
            // from the host's own validation, and would get only an exit code from here.
            return true;
        }

        var problems = OptionsProblems(app.Services);
        if (problems.Count == 0)
        {
            foreach (var check in app.Services.GetServices<IStartupCheck>())
            {
                problems = [.. problems, .. await check.ProblemsAsync(app.Lifetime.ApplicationStopping)];
            }
        }

        if (problems.Count == 0)
        {
            return true;
        }

        var distinct = problems.Distinct(StringComparer.Ordinal).ToList();
        await Console.Error.WriteLineAsync($"The service did not start: {distinct.Count} configuration problem{(distinct.Count == 1 ? "" : "s")}.");
        foreach (var problem in distinct)
        {
            await Console.Error.WriteLineAsync($"  {problem}");
        }

        return false;
    }

    /// <summary>What <c>ValidateOnStart</c> would stop the host with, all sections together, before anything uses them.</summary>
    private static IReadOnlyList<string> OptionsProblems(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
    }
}
