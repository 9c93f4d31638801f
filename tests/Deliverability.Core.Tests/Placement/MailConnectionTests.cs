using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.Placement;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.Placement;

/// <summary>
/// How a seed and a send path talk to their servers (a real Dovecot and real SMTP servers on 127.0.0.1, without TLS):
/// a Security setting that does not fit the port says which setting to change, and the envelope sender is MAIL FROM.
/// </summary>
public sealed class MailConnectionTests : IAsyncLifetime
{
    private TestImapServer _imap = null!;
    private TestSmtpServer _smtp = null!;

    public async Task InitializeAsync()
    {
        _imap = await TestImapServer.StartAsync([("alice", "alice-pw")]);
        _smtp = TestSmtpServer.Start(_imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice") });
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _imap.DisposeAsync();
    }

    [Fact]
    public async Task Imap_ssl_on_a_plain_text_port_says_to_change_security_or_the_port()
    {
        var options = Options(imapSecurity: "ssl", smtpSecurity: "none");

        var seed = Assert.Single((await RunAsync(options)).Seeds);

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains($"the server on port {_imap.Port} did not answer in TLS", seed.Error, StringComparison.Ordinal);
        Assert.Contains("set Security to starttls (or none), or use the port of implicit TLS (usually 993)", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imap_starttls_on_a_server_without_starttls_says_to_change_security()
    {
        var options = Options(imapSecurity: "starttls", smtpSecurity: "none");

        var seed = Assert.Single((await RunAsync(options)).Seeds);

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains($"the server on port {_imap.Port} does not offer STARTTLS. Set Security to ssl", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_starttls_on_a_server_without_starttls_says_to_change_security()
    {
        var options = Options(imapSecurity: "none", smtpSecurity: "starttls");

        var seed = Assert.Single((await RunAsync(options)).Seeds);

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.StartsWith($"send path 'mta' (127.0.0.1:{_smtp.Port}): the server on port {_smtp.Port} does not offer STARTTLS.", seed.Error, StringComparison.Ordinal);
        Assert.Contains("(usually 465)", seed.Error, StringComparison.Ordinal);
        Assert.Contains("(usually 587)", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_ssl_on_a_plain_text_port_says_to_change_security_or_the_port()
    {
        var options = Options(imapSecurity: "none", smtpSecurity: "ssl");

        var seed = Assert.Single((await RunAsync(options)).Seeds);

        Assert.Equal(SeedPlacementStatus.Error, seed.Status);
        Assert.Contains($"the server on port {_smtp.Port} did not answer in TLS", seed.Error, StringComparison.Ordinal);
        Assert.Contains("set Security to starttls (or none), or use the port of implicit TLS (usually 465)", seed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_is_refused_as_a_security_word_with_what_to_write_instead()
    {
        var options = Options(imapSecurity: "tls", smtpSecurity: "TLS");

        var problems = PlacementOptionsValidation.Problems(options);

        Assert.Contains("Monitor:Placement:Seeds:0:Imap:Security: 'tls' is ambiguous: write ssl for TLS from the first byte (ports 993, 465) or starttls for a plain connection upgraded to TLS (ports 143, 587)", problems);
        Assert.Contains(problems, p => p.StartsWith("Monitor:Placement:SendPaths:0:Security: 'tls' is ambiguous", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Envelope_sender_of_the_send_path_is_the_smtp_mail_from_and_the_from_header_stays()
    {
        await using var sink = TestSmtpServer.Start();
        var path = new SendPathOptions { Name = "esp", Host = "127.0.0.1", Port = sink.Port, Security = "none", EnvelopeSender = "bounces@mail.shop.test" };
        var message = PlacementMessage.Create(new PlacementMessageOptions { From = "Shop <news@shop.test>" }, "alice@gmail.test", PlacementMessage.Token(Guid.NewGuid(), 0), DateTimeOffset.UtcNow);

        var sent = await new SmtpSeedSender(TimeProvider.System).SendAsync(path, [(0, message)], TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Null(Assert.Single(sent).Error);
        var received = Assert.Single(await sink.WaitForMessagesAsync(1));
        Assert.Equal("bounces@mail.shop.test", received.From);
        Assert.Equal(["alice@gmail.test"], received.To);
        Assert.Equal("news@shop.test", received.Message.From.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task Without_an_envelope_sender_mail_from_is_the_from_address()
    {
        await using var sink = TestSmtpServer.Start();
        var path = new SendPathOptions { Name = "mta", Host = "127.0.0.1", Port = sink.Port, Security = "none" };
        var message = PlacementMessage.Create(new PlacementMessageOptions { From = "Shop <news@shop.test>" }, "alice@gmail.test", PlacementMessage.Token(Guid.NewGuid(), 0), DateTimeOffset.UtcNow);

        await new SmtpSeedSender(TimeProvider.System).SendAsync(path, [(0, message)], TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("news@shop.test", Assert.Single(await sink.WaitForMessagesAsync(1)).From);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("Bounces <bounces@mail.shop.test>")]
    [InlineData("bounces@")]
    public void Envelope_sender_must_be_a_bare_address(string sender)
    {
        var options = Options(imapSecurity: "none", smtpSecurity: "none");
        options.SendPaths[0].EnvelopeSender = sender;

        var problems = PlacementOptionsValidation.Problems(options);

        Assert.Contains($"Monitor:Placement:SendPaths:0:EnvelopeSender: '{sender}' is not an email address (the SMTP MAIL FROM, e.g. bounces@mail.example.com; empty for the From address)", problems);
    }

    private static Task<PlacementRunReport> RunAsync(PlacementOptions options) =>
        new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, null);

    private PlacementOptions Options(string imapSecurity, string smtpSecurity) => new()
    {
        Seeds = [new SeedMailboxOptions { Provider = "Gmail", Address = "alice@gmail.test", Imap = new ImapAccountOptions { Host = _imap.Host, Port = _imap.Port, Security = imapSecurity, User = "alice", Password = "alice-pw" } }],
        SendPaths = [new SendPathOptions { Name = "mta", Host = _smtp.Host, Port = _smtp.Port, Security = smtpSecurity }],
        Message = new PlacementMessageOptions { From = "news@shop.test" },
        Timeout = TimeSpan.FromSeconds(30),
        PollInterval = TimeSpan.FromMilliseconds(500),
    };
}
