using System.Globalization;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Rules;

namespace Deliverability.Core.DmarcReports.Alerts;

/// <summary><c>DmarcPassRateLow</c>: a domain's reported mail passes DMARC under the threshold (with enough messages).</summary>
public sealed class DmarcPassRateRule(DmarcPassRateRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "DmarcPassRateLow";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var rate in input.Signals.OfType<DmarcPassRateSignal>().Where(s => s.Messages >= options.MinMessages && s.PassRate < options.Threshold))
        {
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, options.Severity), (AlertLabels.Domain, rate.Domain));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, Text($"DMARC pass rate of {rate.Domain} is {rate.PassRate:P1} (under {options.Threshold:P0})")),
                (AlertLabels.Description, Text($"{rate.PassRate:P1} of {rate.Messages} messages reported as {rate.Domain} in the last {DmarcAlertSignals.RecentDays} days passed DMARC.")),
                (AlertLabels.Fix, "Open the DMARC page: the sources table shows which IPs fail SPF and DKIM alignment (a known source to fix, or spoofing)."));
            DmarcLinks.Add(links, annotations);
            yield return new AlertCondition(labels, annotations, rate.Since, 1, options.For, 1);
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary><c>DmarcUnknownSource</c>: a source that is not the domain's, first seen recently, sent more than N failing messages as it.</summary>
public sealed class DmarcUnknownSourceRule(DmarcUnknownSourceRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "DmarcUnknownSource";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var source in input.Signals.OfType<DmarcUnknownSourceSignal>().Where(s => s.Messages > options.MinMessages && input.Now - s.FirstSeen <= options.NewWithin))
        {
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, options.Severity), (AlertLabels.Domain, source.Domain), (AlertLabels.Ip, source.Ip));
            var who = source.ReverseName is { } name ? $"{source.Ip} ({name})" : source.Ip;
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"New unknown source {who} sends as {source.Domain}"),
                (AlertLabels.Description, string.Create(CultureInfo.InvariantCulture, $"{source.Messages} messages from {who} as {source.Domain} failed DMARC in the last {DmarcAlertSignals.RecentDays} days; first seen {source.FirstSeen:yyyy-MM-dd}.")),
                (AlertLabels.Fix, "If it is a service of yours, add it to the SPF record or have it sign with DKIM for the domain; if not, it is spoofing, which p=quarantine or p=reject stops."));
            DmarcLinks.Add(links, annotations);
            yield return new AlertCondition(labels, annotations, source.FirstSeen, 1, TimeSpan.Zero, 1);
        }
    }
}

/// <summary><c>DmarcSendingIpUnaligned</c>: a configured sending IP's reported mail fails SPF or DKIM alignment over the allowed share.</summary>
public sealed class DmarcSendingIpRule(DmarcSendingIpRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "DmarcSendingIpUnaligned";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var ip in input.Signals.OfType<DmarcSendingIpSignal>().Where(s => s.Messages >= options.MinMessages))
        {
            var spf = (double)ip.SpfUnaligned / ip.Messages;
            var dkim = (double)ip.DkimUnaligned / ip.Messages;
            if (spf <= options.MaxUnalignedShare && dkim <= options.MaxUnalignedShare)
            {
                continue;
            }

            var failing = spf > options.MaxUnalignedShare && dkim > options.MaxUnalignedShare ? "SPF and DKIM" : spf > options.MaxUnalignedShare ? "SPF" : "DKIM";
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, options.Severity), (AlertLabels.Domain, ip.Domain), (AlertLabels.Ip, ip.Ip));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"Sending IP {ip.Ip} of {ip.Domain} fails {failing} alignment"),
                (AlertLabels.Description, string.Create(CultureInfo.InvariantCulture, $"Of {ip.Messages} messages reported from {ip.Ip} as {ip.Domain}: {spf:P1} not SPF aligned, {dkim:P1} not DKIM aligned (allowed {options.MaxUnalignedShare:P0}).")),
                (AlertLabels.Fix, failing == "DKIM"
                    ? "Check that the IP's MTA signs every message with a selector of the domain (d= aligned with the From domain)."
                    : "Check that the return-path domain of the IP's mail is the domain (or a subdomain) and that its SPF record covers the IP."));
            DmarcLinks.Add(links, annotations);
            yield return new AlertCondition(labels, annotations, ip.Since, 1, options.For, 1);
        }
    }
}

/// <summary><c>TlsRptFailures</c>: receivers report failed TLS sessions to a domain's MX over the threshold share.</summary>
public sealed class TlsRptFailuresRule(TlsRptFailuresRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "TlsRptFailures";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var tls in input.Signals.OfType<TlsRptSessionsSignal>().Where(s => s.Successful + s.Failed >= options.MinSessions && s.FailureShare > options.Threshold))
        {
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, options.Severity), (AlertLabels.Domain, tls.Domain));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, string.Create(CultureInfo.InvariantCulture, $"TLS-RPT: {tls.FailureShare:P1} of the TLS sessions to {tls.Domain} failed")),
                (AlertLabels.Description, string.Create(CultureInfo.InvariantCulture, $"{tls.Failed} failed and {tls.Successful} successful sessions reported in the last {DmarcAlertSignals.RecentDays} days.")),
                (AlertLabels.Fix, "Check the MX hosts' certificates (names, expiry, chain) and the MTA-STS policy; the DMARC page lists the reports."));
            DmarcLinks.Add(links, annotations);
            yield return new AlertCondition(labels, annotations, tls.Since, 1, options.For, 1);
        }
    }
}

internal static class DmarcLinks
{
    public static void Add(AlertLinks links, SortedDictionary<string, string> annotations)
    {
        if (links.ExternalUrl is { } url)
        {
            annotations[AlertLabels.DashboardUrl] = url + "/dmarc";
        }
    }
}
