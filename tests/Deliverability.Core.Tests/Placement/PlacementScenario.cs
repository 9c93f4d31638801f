using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.Placement;
using Deliverability.Testing.Mail;
using Deliverability.Testing.Network;

namespace Deliverability.Core.Tests.Placement;

/// <summary>
/// One placement run against a real Dovecot and a real SMTP server on 127.0.0.1 whose rules give each seed a different
/// fate: inbox, spam, another folder, dropped, delayed, failing authentication, a stripped token header, a wrong IMAP
/// password, an IMAP server that is down, a TLS handshake that fails, a recipient the send path refuses and a malformed Authentication-Results header. Run once for the whole test class.
/// </summary>
public sealed class PlacementScenario : IAsyncLifetime
{
    public const string AuthFailures = "Authentication-Results: mx.yahoo.test; spf=fail (sender IP not permitted) smtp.mailfrom=news@shop.test; dkim=fail (signature did not verify) header.d=shop.test; dmarc=fail (p=reject) header.from=shop.test";
    public const string AuthPasses = "Authentication-Results: mx.gmail.test; spf=pass smtp.mailfrom=news@shop.test; dkim=pass header.d=shop.test; dmarc=pass header.from=shop.test";
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    public TestImapServer Imap { get; private set; } = null!;

    public PlacementRunReport Report { get; private set; } = null!;

    public IReadOnlyDictionary<string, int> SmtpReceived { get; private set; } = null!;

    /// <summary>(address, expected placement) of each seed, in configuration order.</summary>
    public static readonly (string Address, SeedPlacementStatus Expected)[] Seeds =
    [
        ("inbox@gmail.test", SeedPlacementStatus.Inbox),
        ("spam@gmail.test", SeedPlacementStatus.Spam),
        ("promo@outlook.test", SeedPlacementStatus.Other),
        ("dropped@outlook.test", SeedPlacementStatus.Missing),
        ("late@yahoo.test", SeedPlacementStatus.Inbox),
        ("authfail@yahoo.test", SeedPlacementStatus.Inbox),
        ("badpassword@orange.test", SeedPlacementStatus.Error),
        ("down@gmx.test", SeedPlacementStatus.Error),
        ("refused@gmx.test", SeedPlacementStatus.Error),
        ("stripped@gmx.test", SeedPlacementStatus.Inbox),
        ("tls@gmx.test", SeedPlacementStatus.Error),
        ("garbled@yahoo.test", SeedPlacementStatus.Inbox),
    ];

    public const string GarbledAuth = "Authentication-Results: mx.yahoo.test; spf; dkim=pass header.d=shop.test junk; dmarc=fail (p=reject) header.from=shop.test";

    public SeedPlacement Seed(string address) => Report.Seeds.Single(s => s.Address == address);

    public async Task InitializeAsync()
    {
        Imap = await TestImapServer.StartAsync([("alice", "alice-pw"), ("bob", "bob-pw"), ("carol", "carol-pw"), ("dave", "dave-pw"), ("erin", "erin-pw"), ("gina", "gina-pw")]);
        var routes = new Dictionary<string, SeedRoute>
        {
            ["inbox@gmail.test"] = SeedRoute.File("alice") with { PrependHeaders = [AuthPasses] },
            ["spam@gmail.test"] = SeedRoute.File("alice", "Junk"),
            ["promo@outlook.test"] = SeedRoute.File("bob", "Promotions"),
            ["dropped@outlook.test"] = SeedRoute.Drop(),
            ["late@yahoo.test"] = SeedRoute.File("carol") with { Delay = Delay },
            ["authfail@yahoo.test"] = SeedRoute.File("carol") with { PrependHeaders = [AuthFailures] },
            ["badpassword@orange.test"] = SeedRoute.File("dave"),
            ["down@gmx.test"] = SeedRoute.Drop(),
            ["refused@gmx.test"] = SeedRoute.Reject(),
            ["stripped@gmx.test"] = SeedRoute.File("erin") with { StripTokenHeader = true },
            ["tls@gmx.test"] = SeedRoute.File("gina"),
            ["garbled@yahoo.test"] = SeedRoute.File("carol") with { PrependHeaders = [GarbledAuth] },
        };
        await using var smtp = TestSmtpServer.Start(Imap, routes);
        var downPort = FreePort.Tcp();
        var options = new PlacementOptions
        {
            SendPaths = [new SendPathOptions { Name = "mta", Host = smtp.Host, Port = smtp.Port, Security = "none" }],
            Message = new PlacementMessageOptions { From = "Shop <news@shop.test>", ListUnsubscribe = "<mailto:unsubscribe@shop.test>", ListUnsubscribePost = "List-Unsubscribe=One-Click" },
            Timeout = TimeSpan.FromSeconds(12),
            PollInterval = TimeSpan.FromSeconds(1),
            Seeds =
            [
                Seed("Gmail", "inbox@gmail.test", "alice", "alice-pw"),
                Seed("Gmail", "spam@gmail.test", "alice", "alice-pw"),
                Seed("Outlook", "promo@outlook.test", "bob", "bob-pw"),
                Seed("Outlook", "dropped@outlook.test", "bob", "bob-pw"),
                Seed("Yahoo", "late@yahoo.test", "carol", "carol-pw"),
                Seed("Yahoo", "authfail@yahoo.test", "carol", "carol-pw"),
                Seed("Orange", "badpassword@orange.test", "dave", "not-dave-pw"),
                Seed("GMX", "down@gmx.test", "frank", "frank-pw", downPort),
                Seed("GMX", "refused@gmx.test", "erin", "erin-pw"),
                Seed("GMX", "stripped@gmx.test", "erin", "erin-pw"),
                Tls(Seed("GMX", "tls@gmx.test", "gina", "gina-pw")),
                Seed("Yahoo", "garbled@yahoo.test", "carol", "carol-pw"),
            ],
        };

        Report = await new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, null);
        SmtpReceived = new Dictionary<string, int>(smtp.Received);
    }

    public async Task DisposeAsync() => await Imap.DisposeAsync();

    // Implicit TLS against Dovecot's plain-text port: the handshake fails.
    private static SeedMailboxOptions Tls(SeedMailboxOptions seed)
    {
        seed.Imap.Security = "ssl";
        return seed;
    }

    private SeedMailboxOptions Seed(string provider, string address, string user, string password, int? port = null) => new()
    {
        Provider = provider,
        Address = address,
        Imap = new ImapAccountOptions { Host = "127.0.0.1", Port = port ?? Imap.Port, Security = "none", User = user, Password = password },
    };
}
