using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.Placement;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.Placement;

public sealed class PlacementPollingTests
{
    [Fact]
    public async Task Server_without_idle_is_polled_until_a_late_message_arrives()
    {
        await using var imap = await TestImapServer.StartAsync([("alice", "alice-pw")], offerIdle: false);
        await using var smtp = TestSmtpServer.Start(imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice") with { Delay = TimeSpan.FromSeconds(2) } });
        var options = new PlacementOptions
        {
            Seeds = [new SeedMailboxOptions { Provider = "Gmail", Address = "alice@gmail.test", Imap = new ImapAccountOptions { Host = imap.Host, Port = imap.Port, Security = "none", User = "alice", Password = "alice-pw" } }],
            SendPaths = [new SendPathOptions { Name = "mta", Host = smtp.Host, Port = smtp.Port, Security = "none" }],
            Message = new PlacementMessageOptions { From = "news@shop.test" },
            Timeout = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromMilliseconds(500),
        };

        var report = await new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, null);

        Assert.Equal(SeedPlacementStatus.Inbox, Assert.Single(report.Seeds).Status);
        Assert.Equal(1, imap.LoginCount("alice"));
        using var probe = new ImapClient();
        await probe.ConnectAsync(imap.Host, imap.Port, SecureSocketOptions.None);
        await probe.AuthenticateAsync("alice", "alice-pw");
        Assert.False(probe.Capabilities.HasFlag(ImapCapabilities.Idle), "the fixture must hide IDLE for this test to mean anything");
    }
}
