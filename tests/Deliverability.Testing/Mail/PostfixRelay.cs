using System.Net.Sockets;
using Deliverability.Testing.Network;
using Deliverability.Testing.Processes;

namespace Deliverability.Testing.Mail;

/// <summary>
/// A private Postfix instance on a free port of 127.0.0.1 that relays everything to <see cref="RelayPort"/> (an
/// smtp-sink): its own main.cf and master.cf, queue, data directory and log file in a temporary folder, started with
/// <c>postfix -c DIR start</c> and stopped with <c>postfix -c DIR stop</c>. It never touches the system Postfix: no
/// port 25, no system queue, its own syslog name, no local delivery, no DNS. Needs root (Postfix's master runs as root
/// and drops to the <c>postfix</c> user); anything missing fails with a message that says what.
/// </summary>
public sealed class PostfixRelay : IAsyncDisposable
{
    private const string Postfix = "/usr/sbin/postfix";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory;
    private bool _started;

    private PostfixRelay(string directory, int port, int relayPort)
    {
        _directory = directory;
        Port = port;
        RelayPort = relayPort;
    }

    public string Host => "127.0.0.1";

    /// <summary>The port Postfix's smtpd listens on.</summary>
    public int Port { get; }

    /// <summary>Where Postfix relays every message (<c>relayhost = [127.0.0.1]:port</c>).</summary>
    public int RelayPort { get; }

    /// <summary>Postfix's own log (<c>maillog_file</c>), for failure messages.</summary>
    public string LogFile => Path.Combine(_directory, "maillog");

    /// <summary>Writes the configuration, checks it, starts Postfix and waits for its banner.</summary>
    public static async Task<PostfixRelay> StartAsync(int relayPort)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("a private Postfix instance needs Linux (Debian's postfix).");
        }

        if (!File.Exists(Postfix))
        {
            throw new InvalidOperationException($"{Postfix} is missing: install Debian's postfix (tests/test.sh does).");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("a private Postfix instance needs root (its master process runs as root); run the tests as root, as tests/test.sh and CI do.");
        }

        // Postfix refuses a configuration or queue directory that other users can write to: a folder of our own
        // under the temporary directory, readable by the postfix user.
        var directory = Directory.CreateTempSubdirectory("postfix-relay-").FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var relay = new PostfixRelay(directory, FreePort.Tcp(), relayPort);
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "queue"));
            Directory.CreateDirectory(Path.Combine(directory, "data"));
            await Tool.RunAsync("chown", ["postfix", Path.Combine(directory, "data")], timeout: CommandTimeout);
            await File.WriteAllTextAsync(Path.Combine(directory, "main.cf"), relay.MainCf());
            await File.WriteAllTextAsync(Path.Combine(directory, "master.cf"), relay.MasterCf());
            await relay.PostfixAsync("check");
            relay._started = true;
            await relay.PostfixAsync("start");
            await relay.WaitForBannerAsync();
            return relay;
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started)
            {
                await StopAsync();
            }
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The end of Postfix's log, for an assertion's message.</summary>
    public string LogTail(int lines = 30) =>
        File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    private async Task StopAsync()
    {
        try
        {
            await PostfixAsync("stop");
        }
        catch (InvalidOperationException)
        {
            // A master that does not answer is aborted below.
        }

        // "stop" returns before the master has gone (it holds the queue's files): the folder is removed only after
        // "status" says it is no longer running.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await IsRunningAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                await PostfixAsync("abort");
                return;
            }

            await Task.Delay(200);
        }
    }

    private async Task<bool> IsRunningAsync()
    {
        try
        {
            await PostfixAsync("status");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private string MainCf() => $"""
        compatibility_level = 3.6
        queue_directory = {_directory}/queue
        data_directory = {_directory}/data
        syslog_name = postfix-loadtest
        maillog_file = {_directory}/maillog
        maillog_file_prefixes = {_directory}
        myhostname = relay.loadtest.test
        mydomain = loadtest.test
        myorigin = $myhostname
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        mydestination =
        local_recipient_maps =
        local_transport = error:local delivery is disabled
        alias_maps =
        alias_database =
        relayhost = [127.0.0.1]:{RelayPort}
        smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
        smtpd_peername_lookup = no
        smtp_dns_support_level = disabled
        smtp_host_lookup = native
        smtpd_tls_security_level = none
        smtp_tls_security_level = none
        smtputf8_enable = no
        biff = no
        queue_run_delay = 1s
        minimal_backoff_time = 1s
        maximal_backoff_time = 5s
        maximal_queue_lifetime = 1h
        bounce_queue_lifetime = 1h
        """ + "\n";

    // Every daemon runs outside a chroot (the queue is in a temporary folder); smtpd listens only on our port.
    private string MasterCf() => $"""
        127.0.0.1:{Port} inet n - n - - smtpd
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd
        """ + "\n";

    private async Task WaitForBannerAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, Port);
                using var reader = new StreamReader(client.GetStream());
                var banner = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
                if (banner?.StartsWith("220", StringComparison.Ordinal) == true)
                {
                    return;
                }

                throw new InvalidOperationException($"Postfix answered '{banner}' instead of a 220 banner. Log:\n{LogTail()}");
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Postfix did not listen on 127.0.0.1:{Port} within a minute ({e.SocketErrorCode}). Log:\n{LogTail()}");
            }
        }
    }

    private Task PostfixAsync(string command) => Tool.RunAsync(Postfix, ["-c", _directory, command], timeout: CommandTimeout);
}
