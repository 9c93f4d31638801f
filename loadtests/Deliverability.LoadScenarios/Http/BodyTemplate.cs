using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Deliverability.LoadScenarios;

/// <summary>
/// A request body with per-request fields, compiled once: <c>{{n}}</c> (the invocation number), <c>{{uuid}}</c> (a
/// new UUID) and <c>{{recipient}}</c> (the recipients in turn). Rendering copies literal bytes and writes the
/// fields in place: no regex and no string per request.
/// </summary>
public sealed class BodyTemplate
{
    private const int UuidLength = 36;
    private readonly Part[] _parts;
    private readonly byte[][] _recipients;

    private BodyTemplate(Part[] parts, byte[][] recipients)
    {
        _parts = parts;
        _recipients = recipients;
    }

    private enum Field
    {
        Literal,
        Number,
        Uuid,
        Recipient,
    }

    /// <summary>The literal text of the template, without its fields (where a safety check looks for addresses).</summary>
    public IEnumerable<string> Literals => _parts.Where(p => p.Field == Field.Literal).Select(p => Encoding.UTF8.GetString(p.Bytes));

    /// <summary>Compiles <paramref name="template"/>; <paramref name="error"/> names an unknown or unclosed field.</summary>
    public static bool TryCompile(string template, IReadOnlyList<string> recipients,
        [NotNullWhen(true)] out BodyTemplate? compiled, [NotNullWhen(false)] out string? error)
    {
        compiled = null;
        var parts = new List<Part>();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(Part.Of(template[position..]));
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{{{{' at character {open + 1} is never closed with '}}}}'";
                return false;
            }

            if (open > position)
            {
                parts.Add(Part.Of(template[position..open]));
            }

            var name = template[(open + 2)..close].Trim();
            Field? field = name switch
            {
                "n" => Field.Number,
                "uuid" => Field.Uuid,
                "recipient" => Field.Recipient,
                _ => null,
            };
            if (field is null)
            {
                error = $"unknown field '{{{{{LoadText.Shorten(name)}}}}}' (use {{{{n}}}}, {{{{uuid}}}} or {{{{recipient}}}})";
                return false;
            }

            parts.Add(new Part(field.Value, []));
            position = close + 2;
        }

        compiled = new BodyTemplate([.. parts], [.. recipients.Select(Encoding.UTF8.GetBytes)]);
        error = null;
        return true;
    }

    /// <summary>Writes the body of invocation <paramref name="number"/> to <paramref name="writer"/>.</summary>
    public void Render(long number, IBufferWriter<byte> writer)
    {
        foreach (var part in _parts)
        {
            switch (part.Field)
            {
                case Field.Literal:
                    writer.Write(part.Bytes);
                    break;
                case Field.Number:
                    var digits = writer.GetSpan(20);
                    Utf8Formatter.TryFormat(number, digits, out var written);
                    writer.Advance(written);
                    break;
                case Field.Uuid:
                    var uuid = writer.GetSpan(UuidLength);
                    Guid.NewGuid().TryFormat(uuid, out var length, "D");
                    writer.Advance(length);
                    break;
                case Field.Recipient:
                    if (_recipients.Length > 0)
                    {
                        writer.Write(_recipients[(int)(number % _recipients.Length)]);
                    }

                    break;
            }
        }
    }

    private readonly record struct Part(Field Field, byte[] Bytes)
    {
        public static Part Of(string literal) => new(Field.Literal, Encoding.UTF8.GetBytes(literal));
    }
}
