using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using ServerResponse = SmtpServer.Protocol.SmtpResponse;

namespace Monitor.Testing.Smtp;

/// <summary>A received message with the envelope and the user who authenticated (null when none did).</summary>
public sealed record ReceivedMail(MimeMessage Message, string From, IReadOnlyList<string> To, string? User);

/// <summary>
/// A real SMTP server in-process (the SmtpServer library) on 127.0.0.1 and a free port, without TLS. It keeps the
/// messages it accepts; queued reply codes (e.g. 451 then 250) script its answers to DATA.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly ConcurrentQueue<SmtpReplyCode> _script = new();
    private Task _running = Task.CompletedTask;

    public int Port { get; private set; }

    public IReadOnlyList<ReceivedMail> Messages => [.. _messages];

    /// <param name="user">With a user, AUTH is offered (in clear, for the test) and must succeed with <paramref name="password"/>.</param>
    public static TestSmtpServer Start(string? user = null, string? password = null)
    {
        var server = new TestSmtpServer { Port = FreePort() };
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, server.Port)).AllowUnsecureAuthentication(true).AuthenticationRequired(user is not null))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(server));
        if (user is not null)
        {
            services.Add(new DelegatingUserAuthenticator((u, p) => u == user && p == password));
        }

        server._running = new SmtpServer.SmtpServer(options, services).StartAsync(server._stop.Token);
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

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<ServerResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (server._script.TryDequeue(out var code) && code != SmtpReplyCode.Ok)
            {
                return new ServerResponse(code, $"scripted {(int)code}");
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
            server._messages.Enqueue(new ReceivedMail(message, $"{transaction.From.User}@{transaction.From.Host}", [.. transaction.To.Select(t => $"{t.User}@{t.Host}")], user));
            return ServerResponse.Ok;
        }
    }
}
