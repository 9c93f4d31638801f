using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.ReverseDns;

/// <summary>
/// Each sending IP needs a PTR record whose name resolves back to the IP (forward-confirmed reverse DNS, FCrDNS):
/// Gmail and Yahoo reject or junk mail from IPs without it. Publishes <see cref="ReverseDnsFacts"/>, which covers only
/// the IPs whose answer was definitive.
/// </summary>
public sealed class ReverseDnsCheck : IDomainCheck
{
    private const string CheckName = "rdns";

    public string Name => CheckName;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var ips = context.Request.SendingIps.Select(ip => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).Distinct().ToArray();
        if (ips.Length == 0)
        {
            context.Publish(new ReverseDnsFacts(new Dictionary<IPAddress, bool>()));
            return CheckResult.From(CheckName, [Finding.Info(
                "rdns.no_sending_ips",
                $"No sending IPs are configured for {context.Request.Domain}, so their reverse DNS was not checked.",
                "Configure the IPs this domain sends from (--ip in the CLI) to check their reverse DNS.")]);
        }

        var outcomes = await Task.WhenAll(ips.Select(ip => CheckIpAsync(context.Dns, ip, cancellationToken))).ConfigureAwait(false);
        var confirmed = outcomes.Where(o => o.ForwardConfirmed is not null).ToDictionary(o => o.Ip, o => o.ForwardConfirmed!.Value);
        context.Publish(new ReverseDnsFacts(confirmed));

        var findings = outcomes.SelectMany(o => o.Findings).ToArray();
        var inconclusive = outcomes.Any(o => o.ForwardConfirmed is null) && !findings.Any(f => f.Severity == Severity.Error);
        return CheckResult.From(CheckName, findings, outcomes.SelectMany(o => o.Records), inconclusive);
    }

    private static async Task<IpOutcome> CheckIpAsync(IDnsResolver dns, IPAddress ip, CancellationToken cancellationToken)
    {
        var subject = ip.ToString();
        var reverseName = DnsNames.ReverseName(ip);
        var ptr = await dns.QueryAsync(reverseName, DnsRecordType.PTR, cancellationToken).ConfigureAwait(false);
        if (ptr.IsTemporaryFailure)
        {
            return new IpOutcome(ip, null, [DnsUnavailable(ptr, subject)], []);
        }

        var names = ptr.Records<PtrRecord>().Select(r => r.Target).Where(t => t.Length > 0).Distinct().ToArray();
        var records = names.Select(n => $"{subject} PTR {n}").ToList();
        if (names.Length == 0)
        {
            return new IpOutcome(ip, false, [Finding.Error(
                "rdns.missing",
                $"{subject} has no reverse DNS ({ptr.Describe()}): Gmail, Yahoo and many others reject or junk mail from IPs without a PTR record.",
                $"Ask the owner of the address block (your hosting or IP provider) to set a PTR record for {subject} to a host name of yours, such as mail.example.com, whose A/AAAA record points back to {subject}.") with { Subject = subject }], records);
        }

        var findings = new List<Finding>();
        if (names.Length > 1)
        {
            findings.Add(Finding.Warning(
                "rdns.multiple_ptr",
                $"{subject} has {names.Length} PTR records ({string.Join(", ", names)}); receivers pick one at random, and some check only the first.",
                $"Keep a single PTR record for {subject}, naming the host that sends your mail.") with { Subject = subject });
        }

        var family = ip.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.AAAA;
        var forwards = await Task.WhenAll(names.Select(n => dns.QueryAsync(n, family, cancellationToken))).ConfigureAwait(false);
        var confirming = names.Where((_, i) => forwards[i].Records<AddressRecord>().Any(r => r.Address.Equals(ip))).ToArray();
        records.AddRange(forwards.SelectMany(f => f.Records<AddressRecord>()).Select(r => $"{r.Name} {family} {r.Address}"));

        foreach (var name in names)
        {
            var reason = GenericHostName.Reason(name, ip);
            if (reason is not null)
            {
                findings.Add(Finding.Warning(
                    "rdns.generic",
                    $"The reverse DNS name of {subject}, {name}, looks generated for an address range ({reason}); receivers score such names as dynamic or residential senders.",
                    $"Set the PTR record of {subject} to a host name that identifies your mail server (for example mail.example.com), with a matching A/AAAA record.") with { Subject = subject });
            }
        }

        if (confirming.Length > 0)
        {
            findings.Add(Finding.Info("rdns.forward_confirmed", $"{subject} has reverse DNS {confirming[0]}, which resolves back to it.") with { Subject = subject });
            return new IpOutcome(ip, true, findings, records);
        }

        var failed = forwards.FirstOrDefault(f => f.IsTemporaryFailure);
        if (failed is not null)
        {
            findings.Add(DnsUnavailable(failed, subject));
            return new IpOutcome(ip, null, findings, records);
        }

        var resolved = string.Join("; ", names.Select((n, i) => forwards[i].Records<AddressRecord>().Any()
            ? $"{n} resolves to {string.Join(", ", forwards[i].Records<AddressRecord>().Select(r => r.Address))}"
            : $"{n}: {forwards[i].Describe()}"));
        findings.Add(Finding.Error(
            "rdns.not_forward_confirmed",
            $"The reverse DNS of {subject} is not forward-confirmed: {resolved}, not {subject}. Gmail and Yahoo require forward-confirmed reverse DNS for sending IPs.",
            $"Publish a {family} record for {names[0]} pointing to {subject} (or change the PTR record to a name that does).") with { Subject = subject });
        return new IpOutcome(ip, false, findings, records);
    }

    private static Finding DnsUnavailable(DnsResponse response, string subject) => Finding.Warning(
        "rdns.dns_unavailable",
        $"The reverse DNS of {subject} could not be checked: {response.Describe()}. This says nothing about the records; the check is inconclusive.",
        "Retry later; if it persists, check that the reverse zone's name servers answer.") with { Subject = subject };

    /// <param name="ForwardConfirmed">Null when a DNS failure left the answer open.</param>
    private sealed record IpOutcome(IPAddress Ip, bool? ForwardConfirmed, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Records);
}
