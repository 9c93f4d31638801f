using Monitor.Core.Authentication.Spf;

namespace Monitor.Core.Audits;

/// <summary>The checks a full audit runs, in one place so the CLI, the scheduled job and the benchmark run the same set.</summary>
public static class DomainChecks
{
    public static IReadOnlyList<IDomainCheck> All() =>
    [
        // Each capability adds its check here.
        new SpfCheck(),
    ];
}
