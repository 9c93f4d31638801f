using System.Globalization;
using Microsoft.Playwright;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;

namespace Deliverability.Browser.Tests;

/// <summary>
/// A check by e-mail in a real browser: the page gives a tagged address of the check mailbox (a real Dovecot), the
/// campaign is delivered to it, and the open page shows the report when the service has checked it.
/// </summary>
public sealed class MessageCheckAddressPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private TestDnsServer _dns = null!;
    private TestImapServer _imap = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone().Txt("_dmarc.shop.example.test", "v=DMARC1; p=none"));
        _imap = await TestImapServer.StartAsync([("checks", "checks-pw")]);
        _server = new DashboardServer(_dns.Endpoint, "shop.example.test");
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Monitor:MessageChecks:SpamAssassin:Enabled"] = "false",
            ["Monitor:MessageChecks:Render:Enabled"] = "false",
            ["Monitor:MessageChecks:UriBlocklists:0"] = "domain:dbl.test=127.0.1.2",
            ["Monitor:MessageChecks:Mailbox:Address"] = "checks@checks.example.test",
            ["Monitor:MessageChecks:Mailbox:Imap:Host"] = _imap.Host,
            ["Monitor:MessageChecks:Mailbox:Imap:Port"] = _imap.Port.ToString(CultureInfo.InvariantCulture),
            ["Monitor:MessageChecks:Mailbox:Imap:Security"] = "none",
            ["Monitor:MessageChecks:Mailbox:Imap:User"] = "checks",
            ["Monitor:MessageChecks:Mailbox:Imap:Password"] = "checks-pw",
            ["Monitor:MessageChecks:Mailbox:PollInterval"] = "00:00:02",
        })
        {
            _server.ExtraSettings[key] = value;
        }

        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _imap.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Operator_asks_for_a_check_address_and_the_page_shows_the_report_when_the_message_arrives()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator");
        await page.GotoAsync($"{_server.BaseUrl}/message-checks");
        await DashboardPage.WaitForInteractivityAsync(page);

        await page.ClickAsync("[data-testid=new-address]");
        var panel = page.Locator("[data-testid=check-address]");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "waiting");
        var address = await page.Locator("[data-testid=address]").InnerTextAsync();
        Assert.Matches("^checks\\+[a-z0-9]{16}@checks\\.example\\.test$", address);

        var message = TestMessages.Campaign();
        message.To.Clear();
        message.To.Add(MimeKit.MailboxAddress.Parse(address));
        message.Subject = "Sent to the check address";
        await _imap.DeliverAsync("checks", "INBOX", TestDkimKey.Bytes(message));

        await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "checked", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=inbox-preview]")).ToContainTextAsync("Sent to the check address");
        await Assertions.Expect(page.Locator("[data-testid=past-checks] tbody tr").First).ToContainTextAsync("address");
    }
}
