using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.Placement;
using Deliverability.Testing.Mail;
using Xunit.Abstractions;

namespace Deliverability.Core.Tests.Placement;

public sealed class PlacementScaleTests(ITestOutputHelper output)
{
    private static readonly string[] Providers = ["Gmail", "Outlook", "Yahoo", "Orange", "GMX"];

    [Fact]
    public async Task Fifty_seeds_across_five_providers_all_get_their_result_with_one_imap_login_per_mailbox()
    {
        // 5 providers x 5 mailboxes x 2 seed addresses: the two seeds of a mailbox must share its connection.
        var mailboxes = Providers.SelectMany(p => Enumerable.Range(0, 5).Select(m => $"{p.ToLowerInvariant()}{m}")).ToArray();
        await using var imap = await TestImapServer.StartAsync(mailboxes.Select(m => (m, m + "-pw")));
        var expected = new Dictionary<string, SeedPlacementStatus>();
        var routes = new Dictionary<string, SeedRoute>();
        var seeds = new List<SeedMailboxOptions>();
        var n = 0;
        foreach (var mailbox in mailboxes)
        {
            foreach (var alias in new[] { "a", "b" })
            {
                var address = $"{mailbox}.{alias}@seeds.test";
                var (folder, placement) = (n++ % 3) switch
                {
                    0 => ("INBOX", SeedPlacementStatus.Inbox),
                    1 => ("Junk", SeedPlacementStatus.Spam),
                    _ => ("Promotions", SeedPlacementStatus.Other),
                };
                routes[address] = SeedRoute.File(mailbox, folder);
                expected[address] = placement;
                seeds.Add(new SeedMailboxOptions
                {
                    Provider = Providers.Single(p => mailbox.StartsWith(p, StringComparison.OrdinalIgnoreCase)),
                    Address = address,
                    Imap = new ImapAccountOptions { Host = imap.Host, Port = imap.Port, Security = "none", User = mailbox, Password = mailbox + "-pw" },
                });
            }
        }

        await using var smtp = TestSmtpServer.Start(imap, routes);
        var options = new PlacementOptions
        {
            Seeds = seeds,
            SendPaths = [new SendPathOptions { Name = "mta", Host = smtp.Host, Port = smtp.Port, Security = "none" }],
            Message = new PlacementMessageOptions { From = "news@shop.test" },
            Timeout = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromSeconds(1),
        };

        var clock = Stopwatch.StartNew();
        var report = await new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, "MTA");
        output.WriteLine($"50 seeds, 25 mailboxes: run took {clock.Elapsed.TotalSeconds:F1} s (timeout {options.Timeout.TotalSeconds} s)");

        Assert.Equal(50, report.Seeds.Count);
        Assert.All(report.Seeds, s => Assert.Equal((s.Address, expected[s.Address]), (s.Address, s.Status)));
        Assert.Equal(5, report.Providers.Count);
        Assert.All(report.Providers, p => Assert.Equal(10, p.Rates.Seeds));
        Assert.All(mailboxes, m => Assert.Equal(1, imap.LoginCount(m)));
    }
}
