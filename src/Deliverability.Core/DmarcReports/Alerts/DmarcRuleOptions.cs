namespace Deliverability.Core.DmarcReports.Alerts;

/// <summary><c>DmarcPassRateLow</c>: a domain's DMARC pass rate over the recent reports is under <see cref="Threshold"/>.</summary>
public sealed class DmarcPassRateRuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>A share from 0 to 1.</summary>
    public double Threshold { get; set; } = 0.9;

    /// <summary>Fewer reported messages say nothing either way.</summary>
    public long MinMessages { get; set; } = 100;

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public string Severity { get; set; } = "warning";
}

/// <summary><c>DmarcUnknownSource</c>: a source not known to the domain, first seen within <see cref="NewWithin"/>, sent more than <see cref="MinMessages"/> failing messages.</summary>
public sealed class DmarcUnknownSourceRuleOptions
{
    public bool Enabled { get; set; } = true;

    public long MinMessages { get; set; } = 100;

    /// <summary>How recently the source must have been first seen to count as new.</summary>
    public TimeSpan NewWithin { get; set; } = TimeSpan.FromDays(7);

    public string Severity { get; set; } = "warning";
}

/// <summary><c>DmarcSendingIpUnaligned</c>: a configured sending IP fails SPF or DKIM alignment for more than <see cref="MaxUnalignedShare"/> of its mail.</summary>
public sealed class DmarcSendingIpRuleOptions
{
    public bool Enabled { get; set; } = true;

    public double MaxUnalignedShare { get; set; } = 0.02;

    public long MinMessages { get; set; } = 20;

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public string Severity { get; set; } = "warning";
}

/// <summary><c>TlsRptFailures</c>: the failed share of the TLS sessions reported for a domain is over <see cref="Threshold"/>.</summary>
public sealed class TlsRptFailuresRuleOptions
{
    public bool Enabled { get; set; } = true;

    public double Threshold { get; set; } = 0.05;

    public long MinSessions { get; set; } = 10;

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public string Severity { get; set; } = "warning";
}
