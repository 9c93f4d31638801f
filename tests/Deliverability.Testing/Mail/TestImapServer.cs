using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Deliverability.Testing.Network;
using Deliverability.Testing.Processes;

namespace Deliverability.Testing.Mail;

/// <summary>
/// A private Dovecot IMAP server (Debian's <c>dovecot-imapd</c>) in a temporary folder: 127.0.0.1 on a free port, no TLS,
/// passwd-file users with plain passwords, Maildir folders INBOX, Junk (special-use <c>\Junk</c>) and Promotions. Never
/// the system service. Messages are filed with Dovecot's own LDA, so filing is not an IMAP login: the log's logins are the
/// product's alone (<see cref="LoginCount"/>).
/// </summary>
public sealed partial class TestImapServer : IAsyncDisposable
{
    private const string Lda = "/usr/lib/dovecot/dovecot-lda";
    private const string MailUid = "5000"; // Dovecot refuses to run mail processes as root.

    private readonly string _folder;
    private readonly Process _process;

    private TestImapServer(string folder, int port, Process process)
    {
        _folder = folder;
        Port = port;
        _process = process;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    private string ConfigFile => Path.Combine(_folder, "dovecot.conf");

    private string LogFile => Path.Combine(_folder, "dovecot.log");

    /// <summary>Starts Dovecot with <paramref name="users"/> (name and password) and waits for its greeting.</summary>
    /// <param name="offerIdle">False hides IDLE from the capabilities, as some providers' servers do: clients must poll.</param>
    public static async Task<TestImapServer> StartAsync(IEnumerable<(string User, string Password)> users, bool offerIdle = true, CancellationToken cancellationToken = default)
    {
        if (!File.Exists("/usr/sbin/dovecot") || !File.Exists(Lda))
        {
            throw new InvalidOperationException("Dovecot is not installed (/usr/sbin/dovecot, /usr/lib/dovecot/dovecot-lda): apt-get install dovecot-imapd");
        }

        var folder = Path.Combine(Path.GetTempPath(), "monitor-imap-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "users"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "passwd"), users.Select(u => $"{u.User}:{{PLAIN}}{u.Password}::::::"), cancellationToken);
        var port = FreePort.Tcp();
        await File.WriteAllTextAsync(Path.Combine(folder, "dovecot.conf"), Config(folder, port, offerIdle), cancellationToken);
        if (Environment.UserName == "root")
        {
            await Tool.RunAsync("chown", [$"{MailUid}:{MailUid}", Path.Combine(folder, "users")], cancellationToken: cancellationToken);
        }

        var start = new ProcessStartInfo("/usr/sbin/dovecot") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", Path.Combine(folder, "dovecot.conf"), "-F" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dovecot");
        var server = new TestImapServer(folder, port, process);
        try
        {
            await server.WaitForGreetingAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Files <paramref name="message"/> (raw RFC 5322 bytes) into <paramref name="folder"/> of <paramref name="user"/>, as a receiving MTA would.</summary>
    public Task DeliverAsync(string user, string folder, byte[] message, CancellationToken cancellationToken = default) =>
        Tool.RunAsync(Lda, ["-c", ConfigFile, "-d", user, "-m", folder], message, cancellationToken: cancellationToken);

    /// <summary>
    /// Writes many messages straight into the Maildir of a user's folder (as a local delivery agent would), for benchmarks
    /// that need thousands: one LDA process per message would take minutes.
    /// </summary>
    public async Task DropIntoMaildirAsync(string user, string folder, IEnumerable<byte[]> messages, CancellationToken cancellationToken = default)
    {
        var maildir = Path.Combine(_folder, "users", user, "Maildir");
        var path = string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? maildir : Path.Combine(maildir, "." + folder.Replace('/', '.'));
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(path, sub));
        }

        var i = 0;
        foreach (var message in messages)
        {
            await File.WriteAllBytesAsync(Path.Combine(path, "new", $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{i++}P{Environment.ProcessId}.bench"), message, cancellationToken);
        }

        if (Environment.UserName == "root")
        {
            await Tool.RunAsync("chown", ["-R", $"{MailUid}:{MailUid}", Path.Combine(_folder, "users")], cancellationToken: cancellationToken);
        }
    }

    /// <summary>How many IMAP logins <paramref name="user"/> made (successful ones, from Dovecot's log).</summary>
    public int LoginCount(string user) => LoginLine().Matches(ReadLog()).Count(m => m.Groups["user"].Value == user);

    /// <summary>Dovecot's log so far (for a failing test's message).</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The message files in a user's folder (Maildir <c>cur</c> and <c>new</c>).</summary>
    public int MessageCount(string user, string folder) => MessageFiles(user, folder).Count();

    /// <summary>The raw messages in a user's folder, read from the Maildir (not over IMAP, so a test can look while the product holds the mailbox).</summary>
    /// <remarks>Dovecot renames a file from <c>new</c> to <c>cur</c> when a client opens the folder: a file gone meanwhile makes the folder read again.</remarks>
    public IReadOnlyList<byte[]> ReadMessages(string user, string folder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return [.. MessageFiles(user, folder).Select(File.ReadAllBytes)];
            }
            catch (FileNotFoundException) when (attempt < 10)
            {
            }
        }
    }

    private IEnumerable<string> MessageFiles(string user, string folder)
    {
        var maildir = Path.Combine(_folder, "users", user, "Maildir");
        var path = string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? maildir : Path.Combine(maildir, "." + folder.Replace('/', '.'));
        return new[] { "cur", "new" }.Select(sub => Path.Combine(path, sub)).Where(Directory.Exists).SelectMany(Directory.GetFiles);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Config(string folder, int port, bool offerIdle) => $$"""
        instance_name = monitor-test-{{Path.GetFileName(folder)}}
        base_dir = {{folder}}/run
        state_dir = {{folder}}/state
        log_path = {{folder}}/dovecot.log
        listen = 127.0.0.1
        protocols = imap
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        auth_failure_delay = 0
        mail_location = maildir:{{folder}}/users/%u/Maildir
        mail_uid = {{MailUid}}
        mail_gid = {{MailUid}}
        first_valid_uid = {{MailUid}}
        mail_max_userip_connections = 100
        lda_mailbox_autocreate = yes
        lda_mailbox_autosubscribe = yes
        {{(offerIdle ? "" : "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS SPECIAL-USE NAMESPACE")}}
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {{folder}}/passwd
        }
        userdb {
          driver = static
          args = uid={{MailUid}} gid={{MailUid}} home={{folder}}/users/%u
        }
        namespace inbox {
          inbox = yes
          separator = /
          mailbox Junk {
            special_use = \Junk
            auto = subscribe
          }
          mailbox Promotions {
            auto = subscribe
          }
          mailbox Sent {
            special_use = \Sent
            auto = subscribe
          }
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = {{port}}
          }
          inet_listener imaps {
            port = 0
          }
        }

        """;

    private async Task WaitForGreetingAsync(CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dovecot exited with code {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync(cancellationToken)} {ReadLog()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                var buffer = new byte[256];
                var read = await client.GetStream().ReadAsync(buffer, cancellationToken);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("* OK", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
            }

            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"dovecot did not greet on 127.0.0.1:{Port} within 30 s: {ReadLog()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    [GeneratedRegex(@"imap-login: (?:Info: )?Login: user=<(?<user>[^>]*)>")]
    private static partial Regex LoginLine();
}
