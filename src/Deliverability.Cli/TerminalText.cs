using System.Buffers;
using System.Globalization;
using System.Text;

namespace Deliverability.Cli;

/// <summary>
/// Text made safe to print on a terminal: control characters are shown as <c>\u001b</c> instead of being obeyed. A DNS
/// record, a mail server's answer or a label from the service may hold ESC, BEL or CR, which would recolour the
/// terminal, set its title or overwrite the line; bidirectional overrides would reorder what is read. Line feeds and
/// tabs are kept: they are the output's own layout.
/// </summary>
public static class TerminalText
{
    // Every line printed is searched: one vectorised search for the set IsUnsafe defines (no character from U+2070 up is in it).
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Enumerable.Range(0, '\u2070').Select(c => (char)c).Where(IsUnsafe)]);

    /// <summary>Whether <paramref name="text"/> prints as it is (nothing in it to escape).</summary>
    public static bool IsSafe(ReadOnlySpan<char> text) => !text.ContainsAny(Unsafe);

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || IsSafe(text))
        {
            return text ?? "";
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>C0 controls but line feed and tab, DEL, C1 controls, line and paragraph separators, and the bidirectional embeddings, overrides and isolates.</summary>
    private static bool IsUnsafe(char c) =>
        (char.IsControl(c) && c is not ('\n' or '\t'))
        || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}

/// <summary>A writer that passes everything through <see cref="TerminalText.Escape"/>; its own line breaks stay line breaks.</summary>
public sealed class TerminalSafeWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    private TextWriter Inner => inner;

    /// <summary>
    /// The writer beneath the escaping (<paramref name="writer"/> itself when it does not escape), for what the product
    /// writes itself with control characters (a progress line redrawn with CR, CSV rows ended by CRLF); never for outside text.
    /// </summary>
    public static TextWriter Beneath(TextWriter writer) => writer is TerminalSafeWriter safe ? safe.Inner : writer;

    public override void Write(char value) => inner.Write(TerminalText.Escape(value.ToString()));

    public override void Write(string? value) => inner.Write(TerminalText.Escape(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value) => inner.WriteLine(TerminalText.Escape(value));

    public override Task WriteAsync(char value) => inner.WriteAsync(TerminalText.Escape(value.ToString()));

    public override Task WriteAsync(string? value) => inner.WriteAsync(TerminalText.Escape(value));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(TerminalText.Escape(buffer.ToString()).AsMemory(), cancellationToken);

    public override Task WriteLineAsync() => inner.WriteLineAsync();

    public override Task WriteLineAsync(char value) => inner.WriteLineAsync(TerminalText.Escape(value.ToString()));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(TerminalText.Escape(value));

    // A bulk audit's NDJSON lines come this way, reusing one buffer: passed through without a copy when nothing needs escaping.
    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        TerminalText.IsSafe(buffer.Span)
            ? inner.WriteLineAsync(buffer, cancellationToken)
            : inner.WriteLineAsync(TerminalText.Escape(buffer.ToString()).AsMemory(), cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
