using Monitor.Core.Authentication.Bimi;
using Monitor.Core.Authentication.BulkSender;
using Monitor.Core.Authentication.Dkim;
using Monitor.Core.Authentication.Dmarc;
using Monitor.Core.Authentication.MtaSts;
using Monitor.Core.Authentication.Mx;
using Monitor.Core.Authentication.ReverseDns;
using Monitor.Core.Authentication.Spf;
using Monitor.Core.Authentication.TlsRpt;

namespace Monitor.Core.Audits;

/// <summary>The checks a full audit runs, in one place so the CLI, the scheduled job and the benchmark run the same set.</summary>
public static class DomainChecks
{
    public static IReadOnlyList<IDomainCheck> All() =>
    [
        new SpfCheck(),
        new DkimCheck(),
        new DmarcCheck(), // reads PublicSuffixList.Default, parsed once on first use
        new MxCheck(),
        new ReverseDnsCheck(),
        new MtaStsCheck(),
        new TlsRptCheck(),
        new BimiCheck(),
        new BulkSenderCheck(),
    ];
}
