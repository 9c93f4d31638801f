using System.Net.Sockets;
using Deliverability.Load;
using Deliverability.LoadScenarios.Smtp;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Deliverability.LoadScenarios;

/// <summary>
/// The SMTP submission scenario through MailKit. Each worker keeps one connection (its
/// <see cref="ScenarioContext.WorkerState"/>) for <see cref="SmtpTarget.MessagesPerConnection"/> messages, then QUITs
/// and reconnects. Steps, each with its own latency: <c>connect</c> (TCP and banner), <c>ehlo</c>, <c>starttls</c>
/// (when offered and configured; the second EHLO included), <c>auth</c> (when configured), then per message
/// <c>mail</c> and <c>rcpt</c> — or <c>mail+rcpt</c> when the server offers PIPELINING, since MailKit then sends
/// MAIL FROM and the RCPT TOs together and their replies arrive together — then <c>data</c> (DATA, the message,
/// the final reply) and <c>quit</c>. A 4xx, a 5xx or a broken connection drops the connection: the worker's next
/// invocation reconnects.
/// </summary>
public static class SmtpSubmissionScenario
{
    /// <summary>The steps' names.</summary>
    public const string ConnectStep = "connect", EhloStep = "ehlo", StartTlsStep = "starttls", AuthStep = "auth",
        MailStep = "mail", RcptStep = "rcpt", PipelinedEnvelopeStep = "mail+rcpt", DataStep = "data", QuitStep = "quit";

    /// <summary>
    /// The scenario for <paramref name="target"/>. The AUTH password is read from the environment variable the target
    /// names, through <paramref name="environment"/> (the process environment when null); a missing one throws
    /// <see cref="LoadConfigurationException"/> naming the variable. <paramref name="queued"/>, when given, is called
    /// with the queue id of each accepted message (its DATA reply's <c>queued as ID</c>), from the worker that sent it,
    /// so the messages can be followed through a relay: it must be quick and thread-safe.
    /// </summary>
    public static ScenarioProps Create(string name, SmtpTarget target, Func<string, string?>? environment = null, Action<string>? queued = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        environment ??= Environment.GetEnvironmentVariable;
        string? password = null;
        if (target.User is not null)
        {
            password = target.PasswordEnvironmentVariable is { } variable ? environment(variable) : null;
            if (string.IsNullOrEmpty(password))
            {
                throw new LoadConfigurationException($"auth: the environment variable {target.PasswordEnvironmentVariable ?? "(none)"} that holds the password is not set");
            }
        }

        var submitter = new Submitter(target, password, queued);
        return Scenario.Create(name, submitter.InvokeAsync).WithMaxConcurrency(target.Connections);
    }

    private sealed class Submitter
    {
        private readonly SmtpTarget _target;
        private readonly string? _password;
        private readonly Action<string>? _queued;
        private readonly LoadMessage _message;
        private readonly MailboxAddress _sender;
        private readonly MailboxAddress[][] _recipientGroups;

        public Submitter(SmtpTarget target, string? password, Action<string>? queued)
        {
            _target = target;
            _password = password;
            _queued = queued;
            _message = new LoadMessage(target.From, target.Recipients[0], target.MessageSizeBytes);
            _sender = MailboxAddress.Parse(target.From);
            var recipients = target.Recipients.Select(MailboxAddress.Parse).ToArray();
            // Message n takes RecipientsPerMessage recipients in turn, starting at (n * per message) mod count.
            _recipientGroups = [.. Enumerable.Range(0, recipients.Length).Select(start =>
                Enumerable.Range(0, target.RecipientsPerMessage).Select(i => recipients[(start + i) % recipients.Length]).ToArray())];
        }

        public async Task<Response> InvokeAsync(ScenarioContext context)
        {
            if (context.WorkerState is not SmtpConnection connection)
            {
                connection = new SmtpConnection(NewClient(), _message.ForWorker());
                context.WorkerState = connection;
                var opened = await OpenAsync(connection, context).ConfigureAwait(false);
                if (!opened.IsOk)
                {
                    Drop(context);
                    return opened;
                }
            }

            var sent = await SendAsync(connection, context).ConfigureAwait(false);
            if (!sent.IsOk)
            {
                Drop(context);
                return sent;
            }

            if (++connection.MessagesSent >= _target.MessagesPerConnection)
            {
                await Step.Run(QuitStep, context, async () =>
                {
                    await connection.Client.DisconnectAsync(quit: true, context.CancellationToken).ConfigureAwait(false);
                    return Response.Smtp(221);
                }).ConfigureAwait(false);
                Drop(context);
            }

            return sent;
        }

        private TimedSmtpClient NewClient()
        {
            var client = new TimedSmtpClient(new ConnectionReplies())
            {
                Timeout = (int)Math.Min(int.MaxValue, _target.CommandTimeout.TotalMilliseconds),
                LocalDomain = _target.HeloName,
            };
            if (!_target.VerifyCertificate)
            {
                client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            }

            return client;
        }

        private async Task<Response> OpenAsync(SmtpConnection connection, ScenarioContext context)
        {
            var client = connection.Client;
            var replies = client.Replies;
            var options = _target.StartTls switch
            {
                StartTlsMode.WhenOffered => SecureSocketOptions.StartTlsWhenAvailable,
                StartTlsMode.Required => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            Task? opening = null;
            var connect = await Step.Run(ConnectStep, context, async () =>
            {
                opening = ConnectAsync(client, options, context.CancellationToken);
                return await ReplyOrFailureAsync(replies.Banner.Task, opening, client, context).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (!connect.IsOk || opening is null)
            {
                Observe(opening);
                return connect;
            }

            var ehlo = await Step.Run(EhloStep, context, () => ReplyOrFailureAsync(replies.Ehlo.Task, opening, client, context)).ConfigureAwait(false);
            if (!ehlo.IsOk)
            {
                Observe(opening);
                return ehlo;
            }

            var tls = _target.StartTls == StartTlsMode.Required || (_target.StartTls == StartTlsMode.WhenOffered && replies.StartTlsOffered);
            var opened = tls
                ? await Step.Run(StartTlsStep, context, () => CompletionAsync(opening, Response.Smtp(220), client, context)).ConfigureAwait(false)
                : await CompletionAsync(opening, Response.Smtp(250), client, context).ConfigureAwait(false);
            if (!opened.IsOk || _target.User is null)
            {
                return opened;
            }

            return await Step.Run(AuthStep, context, async () =>
            {
                try
                {
                    await client.AuthenticateAsync(_target.User, _password!, context.CancellationToken).ConfigureAwait(false);
                    return Response.Smtp(235);
                }
                catch (Exception e) when (!IsRunCancellation(e, context))
                {
                    return SmtpFailures.ToResponse(e, client);
                }
            }).ConfigureAwait(false);
        }

        /// <summary>
        /// Opens the socket with Nagle's algorithm off before MailKit takes it over. MailKit leaves Nagle on, and its
        /// last small write of a message (the end-of-data dot) then waits for the server's delayed ACK: about 40 ms on
        /// every message, which would be measured as the server's latency.
        /// </summary>
        private async Task ConnectAsync(TimedSmtpClient client, SecureSocketOptions options, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(_target.CommandTimeout);
                try
                {
                    await socket.ConnectAsync(_target.Host, _target.Port, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SocketException((int)SocketError.TimedOut);
                }

                await client.ConnectAsync(socket, _target.Host, _target.Port, options, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private async Task<Response> SendAsync(SmtpConnection connection, ScenarioContext context)
        {
            var client = connection.Client;
            var recipients = _recipientGroups[(int)(context.InvocationNumber * _target.RecipientsPerMessage % _recipientGroups.Length)];
            var envelope = client.WatchEnvelope(recipients.Length);
            Task<string>? sending = null;
            Task<Response> StartAsync(Task<int> reply)
            {
                sending = client.SendAsync(connection.Message, _sender, recipients, context.CancellationToken);
                return ReplyOrFailureAsync(reply, sending, client, context);
            }

            Response envelopeReply;
            if ((client.Capabilities & SmtpCapabilities.Pipelining) != 0)
            {
                envelopeReply = await Step.Run(PipelinedEnvelopeStep, context, () => StartAsync(envelope.Rcpt.Task)).ConfigureAwait(false);
            }
            else
            {
                envelopeReply = await Step.Run(MailStep, context, () => StartAsync(envelope.Mail.Task)).ConfigureAwait(false);
                if (envelopeReply.IsOk && sending is not null)
                {
                    envelopeReply = await Step.Run(RcptStep, context, () => ReplyOrFailureAsync(envelope.Rcpt.Task, sending, client, context)).ConfigureAwait(false);
                }
            }

            if (!envelopeReply.IsOk || sending is null)
            {
                Observe(sending);
                return envelopeReply;
            }

            return await Step.Run(DataStep, context, async () =>
            {
                try
                {
                    var reply = await sending.ConfigureAwait(false);
                    // The reply is searched for its queue id only when someone follows the messages.
                    if (_queued is not null && QueueId(reply) is { } queueId)
                    {
                        _queued(queueId);
                    }

                    return Response.Smtp(250, _message.SizeBytes);
                }
                catch (Exception e) when (!IsRunCancellation(e, context))
                {
                    return SmtpFailures.ToResponse(e, client);
                }
            }).ConfigureAwait(false);
        }

        // The reply a step waits for, or the failure of the MailKit call that would have produced it.
        private static async Task<Response> ReplyOrFailureAsync(Task<int> reply, Task operation, SmtpClient client, ScenarioContext context)
        {
            await Task.WhenAny(reply, operation).ConfigureAwait(false);
            // Both may have completed by now (the reply's continuation runs asynchronously): the reply wins, so a later
            // command's failure is never counted on this step.
            if (reply.IsCompletedSuccessfully)
            {
                var code = await reply.ConfigureAwait(false);
                return Response.Smtp(code, message: code >= 400 ? $"{code} reply" : null);
            }

            return await CompletionAsync(operation, Response.Smtp(250), client, context).ConfigureAwait(false);
        }

        private static async Task<Response> CompletionAsync(Task operation, Response success, SmtpClient client, ScenarioContext context)
        {
            try
            {
                await operation.ConfigureAwait(false);
                return success;
            }
            catch (Exception e) when (!IsRunCancellation(e, context))
            {
                return SmtpFailures.ToResponse(e, client);
            }
        }

        private static bool IsRunCancellation(Exception e, ScenarioContext context) =>
            e is OperationCanceledException && context.CancellationToken.IsCancellationRequested;

        private static void Drop(ScenarioContext context)
        {
            if (context.WorkerState is SmtpConnection connection)
            {
                connection.Dispose();
            }

            context.WorkerState = null;
        }

        // A MailKit call left running when its step ended early (a refused MAIL FROM): its failure is the one already
        // counted, so it is only observed, never rethrown on the finalizer thread.
        private static void Observe(Task? operation) =>
            operation?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // "2.0.0 Ok: queued as 4BCD1234" -> "4BCD1234"
        private static string? QueueId(string reply)
        {
            const string Marker = "queued as ";
            var at = reply.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return null;
            }

            var id = reply.AsSpan(at + Marker.Length).Trim();
            var end = id.IndexOfAny(' ', '\r', '\n');
            return (end < 0 ? id : id[..end]).ToString();
        }
    }

    /// <summary>A worker's connection, reused for several messages.</summary>
    private sealed class SmtpConnection(TimedSmtpClient client, MimeMessage message) : IDisposable
    {
        public TimedSmtpClient Client { get; } = client;

        public MimeMessage Message { get; } = message;

        public int MessagesSent { get; set; }

        public void Dispose() => Client.Dispose();
    }
}

/// <summary>MailKit's exceptions as outcomes: reply codes kept, TLS, refused, reset and timeout told apart.</summary>
internal static class SmtpFailures
{
    public static Response ToResponse(Exception exception, SmtpClient client) => exception switch
    {
        SmtpCommandException command => Response.Smtp((int)command.StatusCode, message: $"{(int)command.StatusCode} {command.Message}"),
        MailKit.Security.AuthenticationException => Response.Fail(OutcomeClass.SmtpRejected, "535", "authentication failed"),
        SslHandshakeException tls => Response.Fail(OutcomeClass.TlsFailure, message: $"TLS handshake failed: {tls.InnerException?.Message ?? tls.Message}"),
        NotSupportedException when !client.IsSecure => Response.Fail(OutcomeClass.TlsFailure, message: "the server does not offer STARTTLS"),
        SmtpProtocolException protocol when Response.FromException(protocol).Outcome == OutcomeClass.Error =>
            Response.Fail(client.IsConnected ? OutcomeClass.Error : OutcomeClass.ConnectionReset, message: $"{protocol.GetType().Name}: {protocol.Message}"),
        ServiceNotConnectedException => Response.Fail(OutcomeClass.ConnectionReset, message: "the connection was closed"),
        _ => Response.FromException(exception),
    };
}
