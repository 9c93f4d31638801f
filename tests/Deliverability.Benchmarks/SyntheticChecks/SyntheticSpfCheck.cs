using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>Harness stand-in for SPF: the record, each include's record (recursively, at most 10 lookups), ip4 matching.</summary>
public sealed class SyntheticSpfCheck : IDomainCheck
{
    private const int MaxLookups = 10;

    public string Name => "spf";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var domain = context.Request.EffectiveReturnPathDomain;
        var lookups = 0;
        var ranges = new List<(IPAddress Network, int Prefix)>();
        var pending = new Queue<string>([domain]);
        while (pending.TryDequeue(out var name))
        {
            var response = await context.Dns.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            if (response.IsTemporaryFailure)
            {
                return SyntheticChecks.Inconclusive(Name, response.Describe());
            }

            var record = response.TxtStrings.FirstOrDefault(t => t.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase));
            if (record is null)
            {
                return SyntheticChecks.Missing(Name, $"no SPF record at {name}");
            }

            foreach (var term in record.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                if (term.StartsWith("include:", StringComparison.OrdinalIgnoreCase) && ++lookups <= MaxLookups)
                {
                    pending.Enqueue(term["include:".Length..]);
                }
                else if (term.StartsWith("ip4:", StringComparison.OrdinalIgnoreCase) && TryParseRange(term[4..], out var range))
                {
                    ranges.Add(range);
                }
            }
        }

        var results = context.Request.SendingIps.ToDictionary(ip => ip, ip => ranges.Any(r => Contains(r, ip)) ? SpfResult.Pass : SpfResult.Fail);
        context.Publish(new SpfFacts(domain, true, results));
        var findings = results.Where(r => r.Value != SpfResult.Pass)
            .Select(r => Finding.Error("synthetic.spf.ip_not_authorized", $"{r.Key} does not pass SPF", "Add it to the record.") with { Subject = r.Key.ToString() })
            .Append(Finding.Info("synthetic.spf.lookups", $"{lookups} include lookup(s)"));
        return CheckResult.From(Name, findings, [domain]);
    }

    private static bool TryParseRange(string text, out (IPAddress Network, int Prefix) range)
    {
        var parts = text.Split('/');
        var prefix = 32;
        range = default;
        if (!IPAddress.TryParse(parts[0], out var network) || (parts.Length > 1 && !int.TryParse(parts[1], out prefix)))
        {
            return false;
        }

        range = (network, prefix);
        return true;
    }

    private static bool Contains((IPAddress Network, int Prefix) range, IPAddress ip)
    {
        if (ip.AddressFamily != range.Network.AddressFamily)
        {
            return false;
        }

        var mask = range.Prefix == 0 ? 0u : uint.MaxValue << (32 - range.Prefix);
        return (ToUInt32(range.Network) & mask) == (ToUInt32(ip) & mask);
    }

    private static uint ToUInt32(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }
}
