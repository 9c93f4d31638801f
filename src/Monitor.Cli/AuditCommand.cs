using System.CommandLine;

namespace Monitor.Cli;

/// <summary><c>monitor audit domain</c>: every authentication check of a domain (filled in by the audit work).</summary>
public static class AuditCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("audit", "Audit a sending domain's authentication records");
        return command;
    }
}
