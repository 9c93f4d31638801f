using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MimeKit;
using Deliverability.Testing.Network;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Storage;
using SmtpReplyCode = SmtpServer.Protocol.SmtpReplyCode;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;

namespace Deliverability.Testing.Mail;

/// <summary>A received message with the envelope and the user who authenticated (null when none did).</summary>
public sealed record ReceivedMail(MimeMessage Message, string From, IReadOnlyList<string> To, string? User);

/// <summary>
/// A real SMTP server in-process (the SmtpServer library) on 127.0.0.1 and a free port, without TLS. It keeps the
/// messages it accepts, and queued reply codes (e.g. 451 then 250) script its answers to DATA. Started with routes, it
/// stands for the receiving providers: each message is handled by the route of its recipient address and filed into a
/// <see cref="TestImapServer"/>, and a recipient without a route is refused (550).
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly ConcurrentQueue<SmtpReplyCode> _script = new();
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentBag<Task> _filing = [];

    // Each filing starts a Dovecot LDA process: a few at a time keep 2 busy cores responsive.
    private readonly SemaphoreSlim _filers = new(4, 4);
    private readonly TestImapServer? _imap;
    private readonly IReadOnlyDictionary<string, SeedRoute>? _routes;
    private Task _running = Task.CompletedTask;

    private TestSmtpServer(TestImapServer? imap, IReadOnlyDictionary<string, SeedRoute>? routes)
    {
        _imap = imap;
        _routes = routes;
        Port = FreePort.Tcp();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The messages accepted so far, in order.</summary>
    public IReadOnlyList<ReceivedMail> Messages => [.. _messages];

    /// <summary>Messages received (accepted or refused) per recipient address.</summary>
    public IReadOnlyDictionary<string, int> Received => _received;

    /// <summary>A submission server that accepts every message.</summary>
    /// <param name="user">With a user, AUTH is offered (in clear, for the test) and must succeed with <paramref name="password"/>.</param>
    public static TestSmtpServer Start(string? user = null, string? password = null)
    {
        var server = new TestSmtpServer(imap: null, routes: null);
        server.Run("smtp.test", user, password);
        return server;
    }

    /// <summary>The receiving providers: mail to an address of <paramref name="routes"/> goes where its route says.</summary>
    public static TestSmtpServer Start(TestImapServer imap, IReadOnlyDictionary<string, SeedRoute> routes)
    {
        var server = new TestSmtpServer(imap, routes);
        server.Run("mx.test", user: null, password: null);
        return server;
    }

    /// <summary>The next DATA commands are answered with these codes, in order (then 250).</summary>
    public TestSmtpServer Reply(params SmtpReplyCode[] codes)
    {
        foreach (var code in codes)
        {
            _script.Enqueue(code);
        }

        return this;
    }

    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_messages.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
        }

        await Task.WhenAll(_filing);
        _stop.Dispose();
    }

    private void Run(string name, string? user, string? password)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName(name)
            // The receiving side offers no AUTH in clear, as an MX would not; the submission server does.
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AllowUnsecureAuthentication(_routes is null).AuthenticationRequired(user is not null))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (user is not null)
        {
            services.Add(new DelegatingUserAuthenticator((u, p) => u == user && p == password));
        }

        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>Files the message for each recipient by its route; null when every recipient has one, else the refusal.</summary>
    private SmtpResponse? Route(IMessageTransaction transaction, byte[] raw)
    {
        foreach (var recipient in transaction.To.Select(m => m.AsAddress()))
        {
            _received.AddOrUpdate(recipient, 1, (_, n) => n + 1);
            if (_routes is null)
            {
                continue;
            }

            if (!_routes.TryGetValue(recipient, out var route) || route.Rejected)
            {
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, $"5.1.1 <{recipient}> no such seed");
            }

            if (route.Dropped)
            {
                continue;
            }

            // Filed in the background, as a receiving MTA queues: the SMTP answer does not wait for the mailbox.
            var message = Rewrite(raw, route);
            _filing.Add(Task.Run(async () =>
            {
                await Task.Delay(route.Delay, CancellationToken.None);
                await _filers.WaitAsync(CancellationToken.None);
                try
                {
                    await _imap!.DeliverAsync(route.User!, route.Folder, message, CancellationToken.None);
                }
                finally
                {
                    _filers.Release();
                }
            }, CancellationToken.None));
        }

        return null;
    }

    private static byte[] Rewrite(byte[] raw, SeedRoute route)
    {
        var text = Encoding.UTF8.GetString(raw);
        if (route.StripTokenHeader)
        {
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = string.Join("\r\n", text[..end].Split("\r\n").Where(l => !l.StartsWith("X-Monitor-Placement:", StringComparison.OrdinalIgnoreCase)));
            text = head + text[end..];
        }

        var top = string.Concat(route.PrependHeaders.Select(h => h + "\r\n"));
        return Encoding.UTF8.GetBytes(top + text);
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (server._script.TryDequeue(out var code) && code != SmtpReplyCode.Ok)
            {
                return new SmtpResponse(code, $"scripted {(int)code}");
            }

            var raw = buffer.ToArray();
            if (server.Route(transaction, raw) is { } refusal)
            {
                return refusal;
            }

            await using var stream = new MemoryStream(raw);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
            server._messages.Enqueue(new ReceivedMail(message, $"{transaction.From.User}@{transaction.From.Host}", [.. transaction.To.Select(t => $"{t.User}@{t.Host}")], user));
            return SmtpResponse.Ok;
        }
    }
}
