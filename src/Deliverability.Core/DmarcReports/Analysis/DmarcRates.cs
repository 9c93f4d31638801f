namespace Deliverability.Core.DmarcReports.Analysis;

/// <summary>Messages reported for a domain on one UTC day (or over a period), with their alignment and disposition.</summary>
public sealed record DmarcRates(long Messages, long DmarcPass, long SpfAligned, long DkimAligned, long None, long Quarantine, long Reject)
{
    public static readonly DmarcRates Empty = new(0, 0, 0, 0, 0, 0, 0);

    public double? PassRate => Share(DmarcPass);

    public double? SpfRate => Share(SpfAligned);

    public double? DkimRate => Share(DkimAligned);

    public static DmarcRates Of(IEnumerable<DailyCount> counts)
    {
        long messages = 0, pass = 0, spf = 0, dkim = 0, none = 0, quarantine = 0, reject = 0;
        foreach (var c in counts)
        {
            messages += c.Messages;
            pass += c.DmarcPass ? c.Messages : 0;
            spf += c.SpfAligned ? c.Messages : 0;
            dkim += c.DkimAligned ? c.Messages : 0;
            switch (c.Disposition.ToLowerInvariant())
            {
                case "quarantine": quarantine += c.Messages; break;
                case "reject": reject += c.Messages; break;
                default: none += c.Messages; break;
            }
        }

        return new DmarcRates(messages, pass, spf, dkim, none, quarantine, reject);
    }

    private double? Share(long part) => Messages == 0 ? null : (double)part / Messages;
}

/// <summary>One UTC day of a domain.</summary>
public sealed record DmarcDay(DateOnly Day, DmarcRates Rates);

/// <summary>A domain's totals over a period.</summary>
public sealed record DmarcDomainSummary(string Domain, DmarcRates Rates, DateOnly LastDay, int Sources);

/// <summary>How a source IP's mail for the domain is judged.</summary>
public enum SourceClass
{
    /// <summary>It passes DMARC (SPF or DKIM aligned).</summary>
    Aligned,

    /// <summary>Not one of the domain's sources, DKIM aligned but SPF not: a forwarder or mailing list relaying real mail.</summary>
    Forwarded,

    /// <summary>One of the domain's sources (a configured sending IP, or passed by its SPF record) failing DMARC: fix it before enforcing.</summary>
    FailingKnownSource,

    /// <summary>Not one of the domain's sources, failing DMARC: spoofing, or a service of yours not set up yet.</summary>
    UnknownSource,
}

/// <summary>One source IP of a domain over a period.</summary>
public sealed record DmarcSource(string Ip, DmarcRates Rates, DateOnly FirstDay, DateOnly LastDay, SourceIdentity Identity, SourceClass Class)
{
    public bool IsKnown => Identity.KnownService is not null;
}
