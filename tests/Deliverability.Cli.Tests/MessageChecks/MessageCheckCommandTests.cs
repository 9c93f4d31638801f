using System.Text.Json;
using Deliverability.Cli;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;
using MimeKit;

namespace Deliverability.Cli.Tests.MessageChecks;

/// <summary><c>monitor message check</c> on messages signed here, keys and policies served by a real DNS server on 127.0.0.1.</summary>
public sealed class MessageCheckCommandTests : IAsyncLifetime
{
    private readonly TestDkimKey _key = TestDkimKey.Ed25519("shop.example.test", "ed");
    private readonly string _folder = Directory.CreateTempSubdirectory("message-check-cli-").FullName;
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        var zone = new TestZone().Txt("_dmarc.shop.example.test", "v=DMARC1; p=quarantine")
            .A("test.dbl.spamhaus.org", "127.0.1.2").A("test.multi.surbl.org", "127.0.0.8").A("test.multi.uribl.com", "127.0.0.14");
        _dns = TestDnsServer.Start(_key.PublishIn(zone));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Signed_campaign_passes_with_exit_0_and_json_holds_dkim_spam_score_and_renders()
    {
        var message = Campaign();
        _key.Sign(message, ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"]);
        var file = Write("good.eml", TestDkimKey.Bytes(message));
        var renders = Path.Combine(_folder, "renders");

        var (code, output, error) = await RunAsync("message", "check", file, "--dns", _dns.Endpoint, "--render", renders, "--json");

        Assert.True(code == 0, error + output);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var dkim = Assert.Single(root.GetProperty("dkim").EnumerateArray());
        Assert.Equal("pass", dkim.GetProperty("result").GetString());
        Assert.Equal("ed25519-sha256", dkim.GetProperty("algorithm").GetString());
        Assert.Equal("pass", root.GetProperty("dmarc").GetProperty("result").GetString());
        Assert.Equal(5.0, root.GetProperty("spam").GetProperty("threshold").GetDouble());
        Assert.NotEmpty(root.GetProperty("spam").GetProperty("rules").EnumerateArray());
        Assert.InRange(root.GetProperty("score").GetDouble(), 0, 10);
        Assert.DoesNotContain(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "error");
        var files = root.GetProperty("renders").EnumerateArray().Select(r => r.GetProperty("file").GetString()!).ToList();
        Assert.Contains(Path.Combine(renders, "desktop.png"), files);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, f));
    }

    [Fact]
    public async Task Body_changed_after_signing_exits_1_with_the_dkim_failure()
    {
        var message = Campaign();
        _key.Sign(message, ["From", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post"]);
        var file = Write("changed.eml", TestDkimKey.Replace(TestDkimKey.Bytes(message), "coats, boots", "coats, shoes"));

        var (code, output, _) = await RunAsync("message", "check", file, "--dns", _dns.Endpoint);

        Assert.Equal(1, code);
        Assert.True(output.Contains("dkim fail d=shop.example.test s=ed ed25519-sha256", StringComparison.Ordinal), output);
        Assert.Contains("body hash does not match", output);
        Assert.Contains("message.dkim.fail", output);
    }

    [Fact]
    public async Task Missing_file_and_a_file_that_is_not_a_message_exit_2_with_one_line()
    {
        var (missing, _, missingError) = await RunAsync("message", "check", Path.Combine(_folder, "nope.eml"));
        Assert.Equal(2, missing);
        Assert.Contains("no such file", missingError);

        var (garbage, _, garbageError) = await RunAsync("message", "check", Write("garbage.eml", "\0\0 not mail at all"u8.ToArray()), "--dns", _dns.Endpoint);
        Assert.Equal(2, garbage);
        Assert.Single(garbageError.Trim().Split('\n'));
        Assert.Contains("not a message", garbageError);
    }

    private static MimeMessage Campaign()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", "news@shop.example.test"));
        message.To.Add(new MailboxAddress("", "reader@example.org"));
        message.Subject = "Black Friday: forty percent off";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = $"{Guid.NewGuid():N}@shop.example.test";
        message.Headers.Add(HeaderId.ListUnsubscribe, "<https://shop.example.test/u/1>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        const string Words = "Everything in the shop is forty percent off until Monday night: coats, boots, gloves and scarves for the whole family.";
        message.Body = new BodyBuilder
        {
            TextBody = $"{Words}\n\nUnsubscribe: https://shop.example.test/u/1\n",
            HtmlBody = $"<html><body><h1>Black Friday</h1><p>{Words}</p><p><a href=\"https://shop.example.test/sale\">See the sale</a> · <a href=\"https://shop.example.test/u/1\">Unsubscribe</a></p></body></html>",
        }.ToMessageBody();
        return message;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await MonitorCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
