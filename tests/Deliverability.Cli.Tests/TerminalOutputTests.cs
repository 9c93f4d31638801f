using Deliverability.Cli;
using Deliverability.Testing.Dns;

namespace Deliverability.Cli.Tests;

/// <summary>
/// Text a DNS server sends (records, a list's reason) reaches the terminal with its control
/// characters shown, not obeyed: ESC ] 0 sets the window title, ESC [ recolours or clears, BEL rings, CR overwrites the line.
/// </summary>
public sealed class TerminalOutputTests : IAsyncLifetime
{
    private const string Hostile = "\u001b]0;owned\u0007\u001b[31mred\u001b[2J\rgone";
    private const string Shown = "\\u001b]0;owned\\u0007\\u001b[31mred\\u001b[2J\\u000dgone";

    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone()
            .Txt("hostile.test", "v=spf1 ip4:192.0.2.0/24 -all exp=why.hostile.test " + Hostile)
            .Txt("_dmarc.hostile.test", "v=DMARC1; p=reject; " + Hostile)
            .A("2.0.0.127.bl.test", "127.0.0.2")
            .A("1.2.0.192.bl.test", "127.0.0.2")
            .Txt("1.2.0.192.bl.test", "listed: " + Hostile));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync([.. args, "--dns", _dns.Endpoint, "--dns-timeout", "10"], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static void AssertNoControlCharacters(string text) =>
        Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');

    [Fact]
    public async Task Audit_text_shows_a_records_control_characters_escaped()
    {
        var (_, output, error) = await RunAsync("audit", "hostile.test");

        AssertNoControlCharacters(output + error);
        Assert.Contains($"v=spf1 ip4:192.0.2.0/24 -all exp=why.hostile.test {Shown}", output, StringComparison.Ordinal);
        Assert.Contains($"v=DMARC1; p=reject; {Shown}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blacklist_text_shows_a_lists_reason_escaped()
    {
        var (exit, output, error) = await RunAsync("blacklist", "192.0.2.1", "--zone", "bl.test=127.0.0.2");

        Assert.Equal(BlacklistCommand.Listed, exit);
        AssertNoControlCharacters(output + error);
        Assert.Contains($"reason: listed: {Shown}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_shows_control_characters_in_fields_and_keeps_its_crlf_row_ends()
    {
        var (_, output, error) = await RunAsync("audit", "hostile.test", "--csv");

        Assert.Equal("", error);
        var rows = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(rows.Length > 2, "a header and a row per finding, each ended by CRLF");
        Assert.StartsWith(AuditReportCsv.Header, rows[0], StringComparison.Ordinal);
        Assert.All(rows, row => Assert.DoesNotContain(row, char.IsControl));
        Assert.Contains(rows, row => row.Contains("\\u001b[31mred", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plain text, with tabs\tand\nline feeds", "plain text, with tabs\tand\nline feeds")]
    [InlineData("\u001b[31m", "\\u001b[31m")]
    [InlineData("bell\u0007", "bell\\u0007")]
    [InlineData("over\rwrite", "over\\u000dwrite")]
    [InlineData("c1 \u009b31m", "c1 \\u009b31m")]
    [InlineData("del\u007f", "del\\u007f")]
    [InlineData("\u202egnp.exe", "\\u202egnp.exe")]
    public void Escape_keeps_layout_and_shows_every_control_character(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(text));
    }
}
