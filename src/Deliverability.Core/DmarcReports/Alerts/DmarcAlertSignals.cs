using System.Net;
using Deliverability.Core.Alerts;
using Deliverability.Core.DmarcReports.Analysis;

namespace Deliverability.Core.DmarcReports.Alerts;

/// <summary>
/// The reports' current conditions for the DMARC alert rules: per domain the pass rate of the last
/// <see cref="RecentDays"/> UTC days (reports arrive a day or two after the mail), each source failing DMARC that is not
/// the domain's with the day it was first seen in <see cref="LookbackDays"/>, each configured sending IP's unaligned
/// messages, and each policy domain's TLS-RPT sessions. The rules apply the thresholds.
/// </summary>
public sealed class DmarcAlertSignals(StoredReports reports, DmarcAnalyzer analyzer, TimeProvider time) : IAlertSignalSource
{
    public const int RecentDays = 3;
    public const int LookbackDays = 30;

    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        var today = analyzer.Today;
        var recentFrom = today.AddDays(-RecentDays + 1);
        var counts = await reports.DailyAsync(null, today.AddDays(-LookbackDays + 1), today, cancellationToken).ConfigureAwait(false);
        var signals = new List<AlertSignal>();
        foreach (var domain in counts.GroupBy(c => c.Domain, StringComparer.OrdinalIgnoreCase))
        {
            var recent = domain.Where(c => c.Day >= recentFrom).ToList();
            if (recent.Count > 0)
            {
                var rates = DmarcRates.Of(recent);
                signals.Add(new DmarcPassRateSignal(domain.Key, rates.PassRate ?? 1, rates.Messages, Start(recent.Min(c => c.Day))));
            }

            var configured = await analyzer.ConfiguredIpsAsync(domain.Key, cancellationToken).ConfigureAwait(false);
            var sources = await analyzer.SourcesOfAsync(domain.Key, [.. domain], cancellationToken).ConfigureAwait(false);
            foreach (var source in sources.Where(s => s.Class == SourceClass.UnknownSource))
            {
                var recentMessages = recent.Where(c => c.SourceIp == source.Ip).Sum(c => c.Messages);
                if (recentMessages > 0)
                {
                    signals.Add(new DmarcUnknownSourceSignal(domain.Key, source.Ip, source.Identity.ReverseName, recentMessages, Start(source.FirstDay)));
                }
            }

            foreach (var ip in configured)
            {
                var mine = recent.Where(c => SameIp(c.SourceIp, ip)).ToList();
                if (mine.Count > 0)
                {
                    signals.Add(new DmarcSendingIpSignal(domain.Key, ip, mine.Sum(c => c.Messages), mine.Where(c => !c.SpfAligned).Sum(c => c.Messages),
                        mine.Where(c => !c.DkimAligned).Sum(c => c.Messages), Start(mine.Min(c => c.Day))));
                }
            }
        }

        var since = new DateTimeOffset(recentFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        foreach (var tls in await reports.TlsSessionsAsync(since, cancellationToken).ConfigureAwait(false))
        {
            signals.Add(new TlsRptSessionsSignal(tls.Domain, tls.Successful, tls.Failed, tls.FirstEnd > time.GetUtcNow() ? time.GetUtcNow() : tls.FirstEnd));
        }

        return signals;
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static bool SameIp(string a, string b) => IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) ? x.Equals(y) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
