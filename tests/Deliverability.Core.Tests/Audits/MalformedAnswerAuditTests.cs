using System.Net;
using System.Text.RegularExpressions;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Audits;

/// <summary>A name server that answers garbage is a temporary failure of that server: the audit is inconclusive, never a crash.</summary>
public sealed class MalformedAnswerAuditTests
{
    [Theory]
    [InlineData(DnsPackets.Garbage.CompressionLoop)]
    [InlineData(DnsPackets.Garbage.CutInAnswer)]
    [InlineData(DnsPackets.Garbage.RdLengthPastEnd)]
    [InlineData(DnsPackets.Garbage.BadLabelType)]
    public async Task Audit_of_a_domain_served_garbage_is_unknown_not_a_crashed_check(DnsPackets.Garbage kind)
    {
        await using var server = ScriptedDnsServer.Answering(query => DnsPackets.Broken(query, kind));
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 30, Retries = 0 });
        var auditor = new DomainAuditor(resolver, DomainChecks.All());

        var report = await auditor.AuditAsync(new DomainAuditRequest("garbage.test", ["s1"], [IPAddress.Parse("192.0.2.1")]));

        var findings = report.Findings.ToArray();
        Assert.DoesNotContain(findings, f => f.Code == "check.crashed");
        Assert.Equal(CheckStatus.Unknown, report.Status);
        Assert.Equal(CheckStatus.Unknown, report.Checks.Single(c => c.Check == "mx").Status);
        Assert.Contains(findings, f => f.Message.Contains($"malformed answer from 127.0.0.1:{server.Port}", StringComparison.Ordinal));
        // The packet never reaches a message (it was printed in base64 before).
        Assert.DoesNotContain(findings, f => Regex.IsMatch(f.Message, "[A-Za-z0-9+/]{40,}={0,2}", RegexOptions.NonBacktracking));
    }
}
