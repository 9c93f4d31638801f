using Deliverability.Core.Alerts;

namespace Deliverability.Core.DmarcReports.Alerts;

/// <summary>A domain's DMARC pass rate over the recent days of reports.</summary>
public sealed record DmarcPassRateSignal(string Domain, double PassRate, long Messages, DateTimeOffset Since) : AlertSignal(Since);

/// <summary>A source not known to the domain, failing DMARC, first seen on <paramref name="FirstSeen"/>.</summary>
public sealed record DmarcUnknownSourceSignal(string Domain, string Ip, string? ReverseName, long Messages, DateTimeOffset FirstSeen) : AlertSignal(FirstSeen);

/// <summary>A configured sending IP of the domain and how much of its recent mail failed SPF or DKIM alignment.</summary>
public sealed record DmarcSendingIpSignal(string Domain, string Ip, long Messages, long SpfUnaligned, long DkimUnaligned, DateTimeOffset Since) : AlertSignal(Since);

/// <summary>The TLS-RPT sessions of a policy domain over the recent reports.</summary>
public sealed record TlsRptSessionsSignal(string Domain, long Successful, long Failed, DateTimeOffset Since) : AlertSignal(Since)
{
    public double FailureShare => Successful + Failed == 0 ? 0 : (double)Failed / (Successful + Failed);
}
