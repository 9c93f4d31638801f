using Monitor.Core.Authentication.Bimi;
using Monitor.Core.Authentication.BulkSender;
using Monitor.Core.Authentication.MtaSts;
using Monitor.Core.Authentication.Mx;
using Monitor.Core.Authentication.ReverseDns;
using Monitor.Core.Authentication.TlsRpt;

namespace Monitor.Core.Audits;

/// <summary>The checks a full audit runs, in one place so the CLI, the scheduled job and the benchmark run the same set.</summary>
public static class DomainChecks
{
    public static IReadOnlyList<IDomainCheck> All() =>
    [
        // Each capability adds its check here.
        new MxCheck(),
        new ReverseDnsCheck(),
        new MtaStsCheck(),
        new TlsRptCheck(),
        new BimiCheck(),
        new BulkSenderCheck(),
    ];
}
