using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.MessageChecks.Mailbox;
using Deliverability.Server.MessageChecks;
using Deliverability.Testing.Images;
using Deliverability.Testing.Mail;

namespace Deliverability.Server.Tests.MessageChecks;

/// <summary>
/// <c>/api/message-checks</c> over the real service: a real spamd and Chromium for the full check, roles and hostile
/// input, the cap on checks at once, and check addresses read from a real Dovecot.
/// </summary>
public sealed class MessageChecksApiTests : ServiceFixture
{
    private const string Eml = """
        From: Shop <news@shop.example.test>
        To: reader@example.org
        Subject: Black Friday: forty percent off
        Date: Thu, 03 Dec 2026 04:00:00 +0000
        Message-ID: <bf-1@shop.example.test>
        List-Unsubscribe: <https://shop.example.test/u/1>
        List-Unsubscribe-Post: List-Unsubscribe=One-Click
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        <html><body><h1>Black Friday</h1><p>Everything in the shop is forty percent off until Monday night: coats, boots,
        gloves and scarves for the whole family.</p><p><a href="https://shop.example.test/u/1">Unsubscribe</a></p></body></html>
        """;

    [Fact]
    public async Task Operator_checks_a_message_and_reads_it_as_json_html_and_png_renders()
    {
        Dns.Zone.Txt("_dmarc.shop.example.test", "v=DMARC1; p=none");
        await using var app = StartService(("Monitor:MessageChecks:UriBlocklists:0", "domain:dbl.test=127.0.1.2"));
        var client = app.CreateClientAs("Operator");

        var posted = await client.PostAsync("/api/message-checks", Message(Eml));

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var check = (await posted.Content.ReadFromJsonAsync<MessageCheckDto>())!;
        Assert.Equal("upload", check.Source);
        Assert.Contains(check.Findings, f => f.Code == "message.dkim.unsigned" && f.Severity == "error");
        Assert.NotNull(check.Spam);
        Assert.Null(check.RenderProblem);

        var viewer = app.CreateClientAs("Viewer");
        var read = (await viewer.GetFromJsonAsync<MessageCheckDto>($"/api/message-checks/{check.Id}"))!;
        Assert.Equal(check.Score, read.Score);
        var html = await viewer.GetStringAsync($"/api/message-checks/{check.Id}?format=html");
        Assert.Contains("message.dkim.unsigned", html);
        Assert.Contains("/10", html.Replace(" ", "", StringComparison.Ordinal));
        var desktop = check.Renders.Single(r => r.Name == "desktop");
        var png = PngImage.Decode(await viewer.GetByteArrayAsync(desktop.File));
        Assert.Equal((1280, 800), (png.Width, png.Height));
        Assert.True(png.ContentShare() > 0.002);
        var list = (await viewer.GetFromJsonAsync<MessageCheckSummaryDto[]>("/api/message-checks"))!;
        Assert.Equal(check.Id, Assert.Single(list).Id);
    }

    [Fact]
    public async Task Viewers_cannot_check_and_bad_or_oversized_messages_get_problem_details()
    {
        await using var app = StartService(
            ("Monitor:MessageChecks:SpamAssassin:Enabled", "false"), ("Monitor:MessageChecks:Render:Enabled", "false"),
            ("Monitor:MessageChecks:MaxMessageBytes", "2048"));
        var viewer = app.CreateClientAs("Viewer");
        var operatorClient = app.CreateClientAs("Operator");

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/message-checks", Message(Eml))).StatusCode);
        var tooLarge = await operatorClient.PostAsync("/api/message-checks", Message(Eml + new string('x', 4096)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var garbage = await operatorClient.PostAsync("/api/message-checks", new ByteArrayContent([0, 1, 2, 3, 10, 10]));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("not a message", await garbage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/message-checks/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/message-checks/{Guid.NewGuid()}?format=pdf")).StatusCode);
    }

    [Fact]
    public async Task Beyond_the_running_and_queued_checks_an_upload_gets_429_with_retry_after()
    {
        await using var app = StartService(
            ("Monitor:MessageChecks:SpamAssassin:Enabled", "false"), ("Monitor:MessageChecks:Render:Enabled", "false"),
            ("Monitor:MessageChecks:MaxConcurrent", "1"), ("Monitor:MessageChecks:MaxQueued", "0"));
        var client = app.CreateClientAs("Operator");
        var gate = app.Services.GetRequiredService<MessageCheckGate>();

        HttpResponseMessage refused;
        await using (await gate.EnterAsync(CancellationToken.None))
        {
            refused = await client.PostAsync("/api/message-checks", Message(Eml));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.ToString());
        Assert.Contains("MaxConcurrent", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/message-checks", Message(Eml))).StatusCode);
        Assert.Equal(0, gate.Admitted);
    }

    [Fact]
    public async Task Without_a_check_mailbox_no_address_is_given_out()
    {
        await using var app = StartService();

        var response = await app.CreateClientAs("Operator").PostAsync("/api/message-checks/address", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Monitor:MessageChecks:Mailbox", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClientAs("Viewer").GetAsync($"/api/message-checks/address/{CheckAddress.NewTag()}")).StatusCode);
    }

    [Fact]
    public async Task A_message_delivered_to_its_tagged_address_is_checked_with_spf_for_the_ip_that_sent_it()
    {
        Dns.Zone.Txt("shop.example.test", "v=spf1 ip4:192.0.2.10 -all").Txt("_dmarc.shop.example.test", "v=DMARC1; p=none");
        await using var imap = await TestImapServer.StartAsync([("checks", "checks-pw")]);
        await using var app = StartService(
            ("Monitor:MessageChecks:SpamAssassin:Enabled", "false"), ("Monitor:MessageChecks:Render:Enabled", "false"),
            ("Monitor:MessageChecks:UriBlocklists:0", "domain:dbl.test=127.0.1.2"),
            ("Monitor:MessageChecks:Mailbox:Address", "checks@checks.example.test"),
            ("Monitor:MessageChecks:Mailbox:Imap:Host", imap.Host), ("Monitor:MessageChecks:Mailbox:Imap:Port", imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Monitor:MessageChecks:Mailbox:Imap:Security", "none"), ("Monitor:MessageChecks:Mailbox:Imap:User", "checks"), ("Monitor:MessageChecks:Mailbox:Imap:Password", "checks-pw"),
            ("Monitor:MessageChecks:Mailbox:PollInterval", "00:00:02"));
        var client = app.CreateClientAs("Operator");

        var issued = await client.PostAsync("/api/message-checks/address", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var address = (await issued.Content.ReadFromJsonAsync<CheckAddressDto>())!;
        Assert.Equal("waiting", address.Status);
        Assert.Equal($"checks+{address.Tag}@checks.example.test", address.Address);

        var received = "Received: from mail.shop.example.test (mail.shop.example.test [192.0.2.10])\r\n\tby mx.checks.example.test (Postfix) with ESMTPS id 4Xyz\r\n\tfor <" + address.Address + ">; Thu, 03 Dec 2026 04:00:01 +0000\r\n";
        var eml = Encoding.UTF8.GetBytes(received + Eml.Replace("To: reader@example.org", "To: " + address.Address, StringComparison.Ordinal).ReplaceLineEndings("\r\n"));
        await imap.DeliverAsync("checks", "INBOX", eml);

        var viewer = app.CreateClientAs("Viewer");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        CheckAddressDto state;
        do
        {
            await Task.Delay(250);
            state = (await viewer.GetFromJsonAsync<CheckAddressDto>($"/api/message-checks/address/{address.Tag}"))!;
        }
        while (state.Status == "waiting" && DateTime.UtcNow < deadline);

        Assert.True(state.Status == "checked", $"{state.Status} {state.Problem}\n{imap.ReadLog()}");
        var check = (await viewer.GetFromJsonAsync<MessageCheckDto>($"/api/message-checks/{state.CheckId}"))!;
        Assert.Equal("address", check.Source);
        Assert.Equal(("pass", "192.0.2.10"), (check.Spf.Result, check.Spf.Ip));
        Assert.Equal(0, imap.MessageCount("checks", "INBOX"));
    }

    private static ByteArrayContent Message(string eml)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(eml.ReplaceLineEndings("\r\n")));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }
}
