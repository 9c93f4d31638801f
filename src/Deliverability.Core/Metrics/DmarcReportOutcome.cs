namespace Deliverability.Core.Metrics;

/// <summary>What became of a DMARC aggregate report that arrived (<see cref="DeliverabilityMetrics.DmarcReportReceived"/>).</summary>
public enum DmarcReportOutcome
{
    Imported,

    /// <summary>A report already stored (same reporter and report id).</summary>
    Duplicate,

    /// <summary>Not a readable report (bad XML, too large, wrong schema).</summary>
    Invalid,
}
