using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.SpamAssassin;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>A private spamd (Debian's, network tests off) on 127.0.0.1 and a free port, started once for the class.</summary>
public sealed class SpamdFixture : IAsyncLifetime
{
    public PrivateSpamd Spamd { get; private set; } = null!;

    public async Task InitializeAsync() => Spamd = await PrivateSpamd.StartAsync("/usr/sbin/spamd", TimeSpan.FromMinutes(3));

    public async Task DisposeAsync() => await Spamd.DisposeAsync();
}

public sealed class SpamAssassinTests(SpamdFixture fixture) : IClassFixture<SpamdFixture>
{
    private const string Spammy = """
        From: "WINNER" <winner@lottery.example.net>
        To: you@example.org
        Subject: YOU HAVE WON $1,000,000 !!! CLAIM NOW
        Date: Thu, 03 Dec 2026 04:00:00 +0000
        Message-ID: <x@lottery.example.net>
        Content-Type: text/plain; charset=us-ascii

        Dear friend, CONGRATULATIONS! You have won ONE MILLION DOLLARS in our international lottery.
        To claim your prize send your bank account details and a processing fee by Western Union.
        Buy cheap viagra and cialis online, no prescription needed, 100% guaranteed, act now!
        """;

    [Fact]
    public async Task Spamd_scores_a_message_with_its_threshold_and_every_rule_with_its_description()
    {
        var client = new SpamdClient(fixture.Spamd.Endpoint, TimeSpan.FromMinutes(1));

        var result = await client.CheckAsync(TestMessages.Bytes(Spammy));

        Assert.Equal(5.0, result.Threshold);
        Assert.True(result.Score > 3, $"score {result.Score}");
        Assert.Equal(Math.Round(result.Rules.Sum(r => r.Points), 1), Math.Round(result.Score, 1), 1);
        Assert.All(result.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
        Assert.Contains(result.Rules, r => r.Points > 0);
    }

    [Fact]
    public async Task Message_check_reports_the_spam_score_and_a_finding_over_half_the_threshold()
    {
        await using var scanner = new SpamAssassinScanner(new SpamAssassinOptions { Address = fixture.Spamd.Endpoint.ToString() });
        using var resolver = new Core.Dns.DnsStubResolver(new Core.Dns.DnsOptions { NameServers = ["127.0.0.1:9"], TimeoutSeconds = 0.5, Retries = 0 });

        var report = await new MessageChecker(resolver, new MessageCheckOptions { UriBlocklists = [] }, scanner).CheckAsync(new MessageCheckRequest(TestMessages.Bytes(Spammy), "test"));

        Assert.NotNull(report.Spam);
        Assert.Null(report.SpamProblem);
        Assert.Contains(report.Findings, f => f.Group == MessageCheckGroups.Spam && f.Finding.Code is "message.spam.high" or "message.spam.over_threshold");
        Assert.True(report.Score <= Math.Max(0, 10 - report.Spam.Score), $"score {report.Score} with {report.Spam.Score} spam points");
    }

    [Fact]
    public async Task Unreachable_spamd_is_a_problem_in_the_report_not_an_exception()
    {
        await using var scanner = new SpamAssassinScanner(new SpamAssassinOptions { Address = "127.0.0.1:9", TimeoutSeconds = 5 });

        var (result, problem) = await scanner.ScanAsync(TestMessages.Bytes(Spammy));

        Assert.Null(result);
        Assert.Contains("cannot be reached", problem);
    }

    [Fact]
    public void Answer_that_is_not_the_spamd_protocol_is_refused()
    {
        Assert.Throws<SpamdException>(() => SpamdClient.Parse("HTTP/1.1 200 OK\r\n\r\n"));
        Assert.Throws<SpamdException>(() => SpamdClient.Parse("SPAMD/1.1 76 Bad header line\r\n\r\n"));
    }
}
