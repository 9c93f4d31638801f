using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Deliverability.Testing.Network;

namespace Deliverability.Testing.Mail;

/// <summary>
/// Postfix's smtp-sink (Debian <c>postfix</c>) on a free port of 127.0.0.1, started by the test with its own options
/// (<c>-r</c>/<c>-f</c> soft/hard rejects, <c>-q</c>/<c>-Q</c> disconnects, <c>-w</c> DATA delay), never the system
/// Postfix. It can be frozen (SIGSTOP) and thawed (SIGCONT) to stall the server mid-run.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/smtp-sink";
    private const int SigCont = 18, SigStop = 19;
    private readonly Process _process;

    private SmtpSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Starts smtp-sink with <paramref name="options"/> (each an argument) and waits until it accepts connections.</summary>
    public static async Task<SmtpSink> StartAsync(params string[] options)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install Debian's postfix (tests/test.sh does).");
        }

        var port = FreePort.Tcp();
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.IsPrivilegedProcess)
        {
            // smtp-sink refuses to keep root privileges.
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postfix");
        }

        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        start.ArgumentList.Add($"127.0.0.1:{port}");
        start.ArgumentList.Add("256");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sink = new SmtpSink(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return sink;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch
            {
                await sink.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Freezes the server: connections stay open, nothing is answered.</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>Lets a frozen server go on.</summary>
    public void Thaw() => Signal(SigCont);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigCont);
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
