using System.CommandLine;

namespace Monitor.Cli;

/// <summary><c>monitor spf check --ip --sender --helo</c>: RFC 7208 check_host() (filled in by the SPF work).</summary>
public static class SpfCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("spf", "SPF (RFC 7208) evaluation");
        return command;
    }
}
