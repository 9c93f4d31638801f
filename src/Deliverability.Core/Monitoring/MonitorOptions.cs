using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Monitoring;

/// <summary>What the service watches and how often. Bound from the <c>Monitor</c> configuration section.</summary>
public sealed class MonitorOptions
{
    public const string SectionName = "Monitor";

    public List<MonitoredDomain> Domains { get; set; } = [];

    public AuditOptions Audit { get; set; } = new();
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

    /// <summary>
    /// The same domain in the form it is stored and audited in: names as <see cref="DomainName"/> writes them (A-labels,
    /// lower case), selectors trimmed and lower case, addresses trimmed, each once. Call only on validated values.
    /// </summary>
    /// <exception cref="FormatException">A name is not a domain name (the values were not validated).</exception>
    public MonitoredDomain Normalized() => new()
    {
        Name = DomainName.Parse(Name).Ascii,
        DkimSelectors = [.. DkimSelectors.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct()],
        SendingIps = [.. SendingIps.Select(ip => ip.Trim()).Where(ip => ip.Length > 0).Distinct()],
        ReturnPathDomain = OptionalName(ReturnPathDomain),
        DkimSigningDomain = OptionalName(DkimSigningDomain),
    };

    /// <summary>The audit request; call only on validated values (names and IPs parse).</summary>
    public DomainAuditRequest ToRequest()
    {
        var domain = Normalized();
        return new(
            domain.Name,
            [.. domain.DkimSelectors],
            [.. domain.SendingIps.Select(IPAddress.Parse)],
            domain.ReturnPathDomain,
            domain.DkimSigningDomain);
    }

    private static string? OptionalName(string? name) => string.IsNullOrWhiteSpace(name) ? null : DomainName.Parse(name).Ascii;
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
