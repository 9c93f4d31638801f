using System.Text;
using Deliverability.Core.Dns;

namespace Deliverability.Cli;

/// <summary>One domain to audit, or a line that is not one (reported, never fatal).</summary>
/// <param name="Source">Where it came from: <c>FILE:LINE</c>, or <c>argument N</c>.</param>
public sealed record AuditInputItem(string Source, string? Domain, string? Problem);

/// <summary>
/// The domains of <c>monitor audit</c>: the arguments, then the lines of <c>--file</c> (<c>-</c> for standard input),
/// read lazily so that a file of millions of domains never sits in memory. Blank lines and <c>#</c> comments are
/// skipped; a line longer than <see cref="MaxLineLength"/> is reported without being held.
/// </summary>
public static class AuditInput
{
    public const int MaxLineLength = 1024;

    public static async IAsyncEnumerable<AuditInputItem> ReadAsync(IReadOnlyList<string> arguments, string? file, Func<TextReader> stdin, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            yield return Item($"argument {i + 1}", arguments[i]);
        }

        if (file is null)
        {
            yield break;
        }

        var name = file == "-" ? "stdin" : file;
        using var reader = file == "-" ? null : new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var input = reader ?? stdin();
        var buffer = new char[4096];
        var line = new StringBuilder();
        var number = 0;
        var tooLong = false;
        while (true)
        {
            var read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c != '\n')
                {
                    if (line.Length < MaxLineLength)
                    {
                        line.Append(c);
                    }
                    else
                    {
                        tooLong = true;
                    }

                    continue;
                }

                number++;
                if (Line(name, number, line, tooLong) is { } item)
                {
                    yield return item;
                }

                line.Clear();
                tooLong = false;
            }
        }

        if (line.Length > 0 && Line(name, number + 1, line, tooLong) is { } last)
        {
            yield return last;
        }
    }

    private static AuditInputItem? Line(string file, int number, StringBuilder line, bool tooLong)
    {
        var source = $"{file}:{number}";
        if (tooLong)
        {
            return new AuditInputItem(source, null, $"the line is longer than {MaxLineLength} characters");
        }

        var text = line.ToString();
        var comment = text.IndexOf('#');
        text = (comment >= 0 ? text[..comment] : text).Trim();
        return text.Length == 0 ? null : Item(source, text);
    }

    // The problem echoes the line with its control characters escaped (it is printed on a terminal).
    private static AuditInputItem Item(string source, string text) =>
        DomainName.TryParse(text, out var name, out var problem)
            ? new AuditInputItem(source, name.Ascii, null)
            : new AuditInputItem(source, null, problem);
}
