using Deliverability.Core.Authentication.Bimi;
using Deliverability.Core.Authentication.BulkSender;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Authentication.MtaSts;
using Deliverability.Core.Authentication.Mx;
using Deliverability.Core.Authentication.ReverseDns;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Authentication.TlsRpt;

namespace Deliverability.Core.Audits;

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
