using System.Diagnostics;

namespace Deliverability.Testing.Processes;

/// <summary>
/// Runs a command-line tool the fixtures need (chown, pg_ctl, dovecot-lda, postfix) to its end, its output read so it
/// never blocks on a full pipe. A non-zero exit throws <see cref="InvalidOperationException"/> with the command and
/// what it wrote, so a fixture that cannot start says why.
/// </summary>
public static class Tool
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>, writing <paramref name="input"/> to its standard input
    /// when given. With <paramref name="timeout"/>, a tool still running after it is killed and the run throws.
    /// </summary>
    public static async Task RunAsync(string file, IEnumerable<string> args, byte[]? input = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var command = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            patience.CancelAfter(limit);
        }

        try
        {
            if (input is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(input, patience.Token);
                process.StandardInput.Close();
            }

            var stdout = process.StandardOutput.ReadToEndAsync(patience.Token);
            var stderr = process.StandardError.ReadToEndAsync(patience.Token);
            await process.WaitForExitAsync(patience.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{command} did not finish within {timeout!.Value.TotalSeconds} s");
        }
    }
}
