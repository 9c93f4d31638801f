using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Server.Tests;

/// <summary>
/// A test check that reads the TXT record <c>_marker.&lt;domain&gt;</c> from the test DNS server: "ok", "warn" or "broken".
/// It lets a test change a domain's state by changing DNS, whatever real checks exist.
/// </summary>
internal sealed class MarkerCheck : IDomainCheck
{
    public const string CheckName = "marker";

    public string Name => CheckName;

    public static string RecordName(string domain) => $"_marker.{domain}";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var response = await context.Dns.QueryAsync(RecordName(context.Request.Domain), DnsRecordType.TXT, cancellationToken);
        if (response.IsTemporaryFailure)
        {
            return CheckResult.From(Name, [Finding.Warning("marker.temperror", "The marker could not be read.", "Retry later.")], inconclusive: true);
        }

        var text = response.TxtStrings.FirstOrDefault();
        Finding finding = text switch
        {
            "ok" => Finding.Info("marker.ok", "The marker says ok."),
            "warn" => Finding.Warning("marker.warn", "The marker says warn.", "Publish 'ok'.") with { Subject = RecordName(context.Request.Domain) },
            _ => Finding.Error("marker.broken", $"The marker says '{text ?? "(none)"}'.", "Publish 'ok'.") with { Subject = RecordName(context.Request.Domain) },
        };
        return CheckResult.From(Name, [finding], response.TxtStrings);
    }
}
