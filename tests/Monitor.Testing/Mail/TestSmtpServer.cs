using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Storage;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;
using SmtpReplyCode = SmtpServer.Protocol.SmtpReplyCode;

namespace Monitor.Testing.Mail;

/// <summary>What the receiving side does with a message to one address, by the rules of a test.</summary>
public sealed record SeedRoute
{
    /// <summary>Files it into <paramref name="folder"/> of <paramref name="user"/> at once.</summary>
    public static SeedRoute File(string user, string folder = "INBOX") => new() { User = user, Folder = folder };

    /// <summary>Accepts it and throws it away (a silent drop: the seed must come out <c>missing</c>).</summary>
    public static SeedRoute Drop() => new() { Dropped = true };

    /// <summary>Refuses it at the end of DATA with a 550.</summary>
    public static SeedRoute Reject() => new() { Rejected = true };

    public string? User { get; init; }

    public string Folder { get; init; } = "INBOX";

    public bool Dropped { get; init; }

    public bool Rejected { get; init; }

    /// <summary>Files it only after this delay (the SMTP answer is never delayed).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Header lines put on top, as a receiver does (e.g. <c>Authentication-Results: mx.test; spf=fail ...</c>).</summary>
    public IReadOnlyList<string> PrependHeaders { get; init; } = [];

    /// <summary>Removes the <c>X-Monitor-Placement</c> header on the way, as some gateways drop unknown headers.</summary>
    public bool StripTokenHeader { get; init; }
}

/// <summary>
/// An SMTP server (the SmtpServer library, in-process) on 127.0.0.1 and a free port that stands for the receiving
/// providers: each message is handled by the route of its recipient address and filed into a <see cref="TestImapServer"/>.
/// A recipient without a route is refused (550).
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly RoutingStore _store;

    private TestSmtpServer(int port, RoutingStore store)
    {
        Port = port;
        _store = store;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("mx.test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Messages received (accepted or refused) per recipient address.</summary>
    public IReadOnlyDictionary<string, int> Received => _store.Received;

    public static TestSmtpServer Start(TestImapServer imap, IReadOnlyDictionary<string, SeedRoute> routes) =>
        new(TestImapServer.FreePort(), new RoutingStore(imap, routes));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        await _store.WaitForFilingAsync();
        _stop.Dispose();
    }

    private sealed class RoutingStore(TestImapServer imap, IReadOnlyDictionary<string, SeedRoute> routes) : MessageStore
    {
        private readonly ConcurrentBag<Task> _filing = [];

        // Each filing starts a Dovecot LDA process: a few at a time keep 2 busy cores responsive.
        private readonly SemaphoreSlim _filers = new(4, 4);

        public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task WaitForFilingAsync() => Task.WhenAll(_filing);

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var raw = buffer.ToArray();
            foreach (var recipient in transaction.To.Select(m => m.AsAddress()))
            {
                Received.AddOrUpdate(recipient, 1, (_, n) => n + 1);
                if (!routes.TryGetValue(recipient, out var route) || route.Rejected)
                {
                    return Task.FromResult(new SmtpResponse(SmtpReplyCode.MailboxUnavailable, $"5.1.1 <{recipient}> no such seed"));
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
                        await imap.DeliverAsync(route.User!, route.Folder, message, CancellationToken.None);
                    }
                    finally
                    {
                        _filers.Release();
                    }
                }, CancellationToken.None));
            }

            return Task.FromResult(SmtpResponse.Ok);
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
    }
}
