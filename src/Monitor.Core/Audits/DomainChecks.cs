using Monitor.Core.Authentication.Dkim;
using Monitor.Core.Authentication.Dmarc;

namespace Monitor.Core.Audits;

/// <summary>The checks a full audit runs, in one place so the CLI, the scheduled job and the benchmark run the same set.</summary>
public static class DomainChecks
{
    public static IReadOnlyList<IDomainCheck> All() =>
    [
        // Each capability adds its check here.
        new DkimCheck(),
        new DmarcCheck(), // reads PublicSuffixList.Default, parsed once on first use
    ];
}
