using Microsoft.Extensions.Logging.Abstractions;
using Monitor.Core.Placement;
using Monitor.Testing.Mail;

namespace Monitor.Core.Tests.Placement;

public sealed class PlacementCleanupTests
{
    [Fact]
    public async Task Test_messages_stay_when_delete_after_run_is_off()
    {
        await using var imap = await TestImapServer.StartAsync([("alice", "alice-pw")]);
        await using var smtp = TestSmtpServer.Start(imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice", "Junk") });
        var options = new PlacementOptions
        {
            Seeds = [new SeedMailboxOptions { Provider = "Gmail", Address = "alice@gmail.test", Imap = new ImapAccountOptions { Host = imap.Host, Port = imap.Port, Security = "none", User = "alice", Password = "alice-pw" } }],
            SendPaths = [new SendPathOptions { Name = "mta", Host = smtp.Host, Port = smtp.Port, Security = "none" }],
            Message = new PlacementMessageOptions { From = "news@shop.test" },
            Timeout = TimeSpan.FromSeconds(30),
            PollInterval = TimeSpan.FromMilliseconds(500),
            DeleteAfterRun = false,
        };

        var report = await new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, null);

        Assert.Equal(SeedPlacementStatus.Spam, Assert.Single(report.Seeds).Status);
        Assert.Equal(1, imap.MessageCount("alice", "Junk"));
    }
}
