using System.Globalization;
using Deliverability.Core.DmarcReports.Mailbox;

namespace Deliverability.Core.DmarcReports.Analysis;

/// <summary>The strictest DMARC policy a domain's reported mail allows now.</summary>
public enum PolicyVerdict
{
    /// <summary>Too few messages reported to judge.</summary>
    NoData,

    /// <summary>Its own mail would be lost under quarantine: stay at p=none and fix what fails.</summary>
    NotReady,

    /// <summary>Ready for p=quarantine, not yet for p=reject.</summary>
    Quarantine,

    /// <summary>Ready for p=reject.</summary>
    Reject,
}

/// <summary>
/// Whether a domain can move to <c>p=quarantine</c> or <c>p=reject</c>: judged on its own mail (known sources and
/// forwarders; unknown sources are what enforcement is for, and are listed to be checked), which must pass DMARC at the
/// configured shares, with every known source passing too.
/// </summary>
/// <param name="PassRate">The DMARC pass share of the domain's own mail (known sources and forwarders); null without any.</param>
/// <param name="Reasons">Why it is not further, in words.</param>
/// <param name="StillFailing">The sources failing DMARC, most messages first.</param>
public sealed record PolicyReadiness(string Domain, PolicyVerdict Verdict, int Days, long Messages, long OwnMessages, double? PassRate, IReadOnlyList<string> Reasons, IReadOnlyList<DmarcSource> StillFailing)
{
    public const int MaxListed = 10;

    public static PolicyReadiness Judge(string domain, IReadOnlyList<DmarcSource> sources, PolicyReadinessOptions options)
    {
        var all = sources.Sum(s => s.Rates.Messages);
        var own = sources.Where(s => s.IsKnown || s.Class == SourceClass.Forwarded).ToList();
        var ownRates = DmarcRates.Of([]) with
        {
            Messages = own.Sum(s => s.Rates.Messages),
            DmarcPass = own.Sum(s => s.Rates.DmarcPass),
        };
        var failing = sources.Where(s => s.Class is SourceClass.FailingKnownSource or SourceClass.UnknownSource)
            .OrderByDescending(s => s.Rates.Messages).Take(MaxListed).ToList();
        var reasons = new List<string>();
        if (all < options.MinMessages)
        {
            reasons.Add(Text($"{all} messages reported in {options.Days} days; at least {options.MinMessages} are needed to judge."));
            return new PolicyReadiness(domain, PolicyVerdict.NoData, options.Days, all, ownRates.Messages, ownRates.PassRate, reasons, failing);
        }

        if (ownRates.Messages == 0)
        {
            reasons.Add("No reported message comes from a known source (a configured sending IP or one the SPF record passes): configure the domain's sending IPs or publish its SPF record first.");
            return new PolicyReadiness(domain, PolicyVerdict.NotReady, options.Days, all, 0, null, reasons, failing);
        }

        if (ownRates.Messages < options.MinMessages)
        {
            reasons.Add(Text($"{ownRates.Messages} of the reported messages come from the domain's own sources in {options.Days} days; at least {options.MinMessages} are needed to judge."));
            return new PolicyReadiness(domain, PolicyVerdict.NoData, options.Days, all, ownRates.Messages, ownRates.PassRate, reasons, failing);
        }

        var knownFailing = sources.Where(s => s.IsKnown && (s.Rates.PassRate ?? 0) < options.KnownSourceShare).ToList();
        foreach (var source in knownFailing.OrderByDescending(s => s.Rates.Messages).Take(MaxListed))
        {
            reasons.Add(Text($"{source.Ip} ({source.Identity.KnownService}) passes DMARC for {source.Rates.PassRate:P1} of its {source.Rates.Messages} messages (SPF aligned {source.Rates.SpfRate:P0}, DKIM aligned {source.Rates.DkimRate:P0}); it needs {options.KnownSourceShare:P0}."));
        }

        var rate = ownRates.PassRate!.Value;
        if (rate < options.RejectShare)
        {
            reasons.Add(Text($"{rate:P1} of the domain's own mail passes DMARC; p=reject needs {options.RejectShare:P0}, p=quarantine {options.QuarantineShare:P0}."));
        }

        var unknown = sources.Where(s => s.Class == SourceClass.UnknownSource).ToList();
        if (unknown.Count > 0)
        {
            reasons.Add(Text($"{unknown.Count} unknown sources sent {unknown.Sum(s => s.Rates.Messages)} failing messages as the domain: enforcement stops them; check none is a service of yours."));
        }

        var verdict = knownFailing.Count > 0 || rate < options.QuarantineShare ? PolicyVerdict.NotReady
            : rate < options.RejectShare ? PolicyVerdict.Quarantine
            : PolicyVerdict.Reject;
        return new PolicyReadiness(domain, verdict, options.Days, all, ownRates.Messages, rate, reasons, failing);
    }

    public string Headline => Verdict switch
    {
        PolicyVerdict.Reject => "Ready for p=reject",
        PolicyVerdict.Quarantine => "Ready for p=quarantine, not yet p=reject",
        PolicyVerdict.NotReady => "Not ready to enforce: stay at p=none",
        _ => "Not enough reports to judge",
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
