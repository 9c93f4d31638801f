using System.Net;
using Monitor.Core.Audits;
using Monitor.Core.Dns;

namespace Monitor.Core.Monitoring;

/// <summary>What the service watches and how often. Bound from the <c>Monitor</c> configuration section.</summary>
public sealed class MonitorOptions
{
    public const string SectionName = "Monitor";

    public List<MonitoredDomain> Domains { get; set; } = [];

    public AuditOptions Audit { get; set; } = new();

    /// <summary>The configured domain named <paramref name="domain"/> (any case, trailing dot allowed), or null.</summary>
    public MonitoredDomain? Find(string domain)
    {
        var name = DnsNames.Normalize(domain);
        return Domains.FirstOrDefault(d => DnsNames.Normalize(d.Name) == name);
    }
}

/// <summary>One sending domain to audit.</summary>
public sealed class MonitoredDomain
{
    public string Name { get; set; } = "";

    public List<string> DkimSelectors { get; set; } = [];

    /// <summary>IPv4 or IPv6 addresses the domain sends from.</summary>
    public List<string> SendingIps { get; set; } = [];

    /// <summary>The MAIL FROM domain when it is not <see cref="Name"/>.</summary>
    public string? ReturnPathDomain { get; set; }

    /// <summary>The DKIM <c>d=</c> domain when it is not <see cref="Name"/>.</summary>
    public string? DkimSigningDomain { get; set; }

    /// <summary>The audit request; call only on validated options (IPs parse).</summary>
    public DomainAuditRequest ToRequest() => new(
        DnsNames.Normalize(Name),
        DkimSelectors.Select(s => s.Trim().ToLowerInvariant()).ToArray(),
        SendingIps.Select(ip => IPAddress.Parse(ip.Trim())).ToArray(),
        string.IsNullOrWhiteSpace(ReturnPathDomain) ? null : DnsNames.Normalize(ReturnPathDomain),
        string.IsNullOrWhiteSpace(DkimSigningDomain) ? null : DnsNames.Normalize(DkimSigningDomain));
}

/// <summary>When and how hard the scheduled audit runs.</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Either an interval as a TimeSpan (<c>00:15:00</c>) or a Quartz cron expression with seconds
    /// (<c>0 0/15 * * * ?</c>). Default: every 15 minutes.
    /// </summary>
    public string Schedule { get; set; } = "00:15:00";

    /// <summary>How long after start the first cycle runs.</summary>
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many domains are audited at the same time.</summary>
    public int MaxConcurrency { get; set; } = 16;
}
