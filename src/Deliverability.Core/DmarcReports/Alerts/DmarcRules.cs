using System.Globalization;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Rules;

namespace Deliverability.Core.DmarcReports.Alerts;

/// <summary><c>DmarcPassRateLow</c>: a domain's reported mail passes DMARC under the threshold (with enough messages).</summary>
public sealed class DmarcPassRateRule(DmarcPassRateRuleOptions options, AlertLinks links) : SignalRule<DmarcPassRateSignal>(links, DmarcPage)
{
    public const string Name = "DmarcPassRateLow";

    internal const string DmarcPage = "/dmarc";

    public override string AlertName => Name;

    protected override bool Enabled => options.Enabled;

    protected override SignalAlert? Alert(DmarcPassRateSignal rate, AlertRuleInput input) => rate.Messages >= options.MinMessages && rate.PassRate < options.Threshold
        ? new(
            options.Severity,
            [(AlertLabels.Domain, rate.Domain)],
            Text($"DMARC pass rate of {rate.Domain} is {rate.PassRate:P1} (under {options.Threshold:P0})"),
            Text($"{rate.PassRate:P1} of {rate.Messages} messages reported as {rate.Domain} in the last {DmarcAlertSignals.RecentDays} days passed DMARC."),
            "Open the DMARC page: the sources table shows which IPs fail SPF and DKIM alignment (a known source to fix, or spoofing).",
            rate.Since,
            options.For)
        : null;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary><c>DmarcUnknownSource</c>: a source that is not the domain's, first seen recently, sent more than N failing messages as it.</summary>
public sealed class DmarcUnknownSourceRule(DmarcUnknownSourceRuleOptions options, AlertLinks links) : SignalRule<DmarcUnknownSourceSignal>(links, DmarcPassRateRule.DmarcPage)
{
    public const string Name = "DmarcUnknownSource";

    public override string AlertName => Name;

    protected override bool Enabled => options.Enabled;

    protected override SignalAlert? Alert(DmarcUnknownSourceSignal source, AlertRuleInput input)
    {
        if (source.Messages <= options.MinMessages || input.Now - source.FirstSeen > options.NewWithin)
        {
            return null;
        }

        var who = source.ReverseName is { } name ? $"{source.Ip} ({name})" : source.Ip;
        return new(
            options.Severity,
            [(AlertLabels.Domain, source.Domain), (AlertLabels.Ip, source.Ip)],
            $"New unknown source {who} sends as {source.Domain}",
            string.Create(CultureInfo.InvariantCulture, $"{source.Messages} messages from {who} as {source.Domain} failed DMARC in the last {DmarcAlertSignals.RecentDays} days; first seen {source.FirstSeen:yyyy-MM-dd}."),
            "If it is a service of yours, add it to the SPF record or have it sign with DKIM for the domain; if not, it is spoofing, which p=quarantine or p=reject stops.",
            source.FirstSeen,
            TimeSpan.Zero);
    }
}

/// <summary><c>DmarcSendingIpUnaligned</c>: a configured sending IP's reported mail fails SPF or DKIM alignment over the allowed share.</summary>
public sealed class DmarcSendingIpRule(DmarcSendingIpRuleOptions options, AlertLinks links) : SignalRule<DmarcSendingIpSignal>(links, DmarcPassRateRule.DmarcPage)
{
    public const string Name = "DmarcSendingIpUnaligned";

    public override string AlertName => Name;

    protected override bool Enabled => options.Enabled;

    protected override SignalAlert? Alert(DmarcSendingIpSignal ip, AlertRuleInput input)
    {
        if (ip.Messages < options.MinMessages)
        {
            return null;
        }

        var spf = (double)ip.SpfUnaligned / ip.Messages;
        var dkim = (double)ip.DkimUnaligned / ip.Messages;
        if (spf <= options.MaxUnalignedShare && dkim <= options.MaxUnalignedShare)
        {
            return null;
        }

        var failing = spf > options.MaxUnalignedShare && dkim > options.MaxUnalignedShare ? "SPF and DKIM" : spf > options.MaxUnalignedShare ? "SPF" : "DKIM";
        return new(
            options.Severity,
            [(AlertLabels.Domain, ip.Domain), (AlertLabels.Ip, ip.Ip)],
            $"Sending IP {ip.Ip} of {ip.Domain} fails {failing} alignment",
            string.Create(CultureInfo.InvariantCulture, $"Of {ip.Messages} messages reported from {ip.Ip} as {ip.Domain}: {spf:P1} not SPF aligned, {dkim:P1} not DKIM aligned (allowed {options.MaxUnalignedShare:P0})."),
            failing == "DKIM"
                ? "Check that the IP's MTA signs every message with a selector of the domain (d= aligned with the From domain)."
                : "Check that the return-path domain of the IP's mail is the domain (or a subdomain) and that its SPF record covers the IP.",
            ip.Since,
            options.For);
    }
}

/// <summary><c>TlsRptFailures</c>: receivers report failed TLS sessions to a domain's MX over the threshold share.</summary>
public sealed class TlsRptFailuresRule(TlsRptFailuresRuleOptions options, AlertLinks links) : SignalRule<TlsRptSessionsSignal>(links, DmarcPassRateRule.DmarcPage)
{
    public const string Name = "TlsRptFailures";

    public override string AlertName => Name;

    protected override bool Enabled => options.Enabled;

    protected override SignalAlert? Alert(TlsRptSessionsSignal tls, AlertRuleInput input) =>
        tls.Successful + tls.Failed >= options.MinSessions && tls.FailureShare > options.Threshold
            ? new(
                options.Severity,
                [(AlertLabels.Domain, tls.Domain)],
                string.Create(CultureInfo.InvariantCulture, $"TLS-RPT: {tls.FailureShare:P1} of the TLS sessions to {tls.Domain} failed"),
                string.Create(CultureInfo.InvariantCulture, $"{tls.Failed} failed and {tls.Successful} successful sessions reported in the last {DmarcAlertSignals.RecentDays} days."),
                "Check the MX hosts' certificates (names, expiry, chain) and the MTA-STS policy; the DMARC page lists the reports.",
                tls.Since,
                options.For)
            : null;
}
