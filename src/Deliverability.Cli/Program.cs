using System.Text;
using Deliverability.Cli;
using Deliverability.Cli.LoadTests;

LoadGeneratorProcess.Tune(args);

if (!Console.IsOutputRedirected)
{
    return await MonitorCli.RunAsync(args, Console.Out, Console.Error);
}

// A file or a pipe gets standard output in blocks, as from other command-line tools: Console.Out flushes every write,
// a system call per line, which cost a bulk audit more CPU than any other part of its output. The writer is flushed
// when the command ends, however it ends. A terminal still gets each line as it comes.
var encoding = Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : Console.OutputEncoding;
await using var stdout = new StreamWriter(Console.OpenStandardOutput(), encoding, bufferSize: 64 * 1024) { AutoFlush = false };
return await MonitorCli.RunAsync(args, stdout, Console.Error);
