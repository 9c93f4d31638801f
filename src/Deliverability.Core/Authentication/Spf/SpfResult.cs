using System.Net;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>The seven results of RFC 7208 section 2.6.</summary>
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

/// <summary>What the SPF check learned, for later stages (the bulk-sender verdict, DMARC alignment).</summary>
/// <param name="RecordFound">The return-path domain publishes exactly one SPF record.</param>
/// <param name="ResultsByIp">check_host() of each configured sending IP against the return-path domain.</param>
public sealed record SpfFacts(string Domain, bool RecordFound, IReadOnlyDictionary<IPAddress, SpfResult> ResultsByIp);
