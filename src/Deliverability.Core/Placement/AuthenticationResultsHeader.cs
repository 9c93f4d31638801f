using System.Text;

namespace Deliverability.Core.Placement;

/// <summary>One property of a result: <c>smtp.mailfrom=example.com</c>, <c>header.d=example.com</c>.</summary>
public sealed record AuthenticationProperty(string Type, string Name, string Value);

/// <summary>One method's result in an <c>Authentication-Results</c> header: <c>dkim=pass (good signature) header.d=example.com</c>.</summary>
public sealed record AuthenticationMethodResult(string Method, string? Version, string Result, string? Reason, IReadOnlyList<AuthenticationProperty> Properties)
{
    /// <summary>The value of <c>type.name</c> (e.g. <c>header.d</c>), or null.</summary>
    public string? Property(string type, string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Type, type, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
}

/// <summary>
/// An RFC 8601 <c>Authentication-Results</c> header field: the authserv-id of the receiver that wrote it and one result per
/// method. Comments (nested), quoted strings and folding whitespace are understood anywhere CFWS is allowed; a part that
/// cannot be read is reported in <see cref="Problems"/> and the parser resumes at the next <c>;</c>, so one bad result
/// never hides the others.
/// </summary>
public sealed record AuthenticationResultsHeader(string AuthServId, string? Version, IReadOnlyList<AuthenticationMethodResult> Results, IReadOnlyList<string> Problems)
{
    /// <summary>Methods, results, property types and names are case-insensitive (RFC 8601 2.2); they are returned in lower case.</summary>
    public static AuthenticationResultsHeader Parse(string value)
    {
        var reader = new Reader(value);
        var problems = new List<string>();
        var results = new List<AuthenticationMethodResult>();

        reader.SkipCfws();
        var authServId = reader.ReadValue();
        if (authServId.Length == 0)
        {
            problems.Add("the authserv-id is missing");
        }

        reader.SkipCfws();
        string? version = null;
        if (reader.Peek is >= '0' and <= '9')
        {
            version = reader.ReadDigits();
            reader.SkipCfws();
        }

        while (!reader.AtEnd)
        {
            if (reader.Peek != ';')
            {
                problems.Add($"expected ';' at position {reader.Position}, found '{reader.Rest(20)}'");
                reader.SkipPast(';');
            }
            else
            {
                reader.Advance();
            }

            reader.SkipCfws();
            if (reader.AtEnd)
            {
                break;
            }

            var start = reader.Position;
            if (TryReadResult(reader, out var result, out var problem))
            {
                // "; none" says no method was applied: it is not a result.
                if (result is not null)
                {
                    results.Add(result);
                }
            }
            else
            {
                problems.Add($"{problem} in '{reader.Slice(start).Trim()}'");
                reader.SkipTo(';');
            }

            reader.SkipCfws();
        }

        return new AuthenticationResultsHeader(authServId, version, results, problems);
    }

    private static bool TryReadResult(Reader reader, out AuthenticationMethodResult? result, out string problem)
    {
        result = null;
        problem = "";
        var method = reader.ReadWord(stopAtDot: false).ToLowerInvariant();
        if (method.Length == 0)
        {
            problem = "a method name is missing";
            return false;
        }

        reader.SkipCfws();
        if (method == "none" && (reader.AtEnd || reader.Peek == ';'))
        {
            return true;
        }

        string? version = null;
        if (reader.Peek == '/')
        {
            reader.Advance();
            reader.SkipCfws();
            version = reader.ReadDigits();
            reader.SkipCfws();
        }

        if (reader.Peek != '=')
        {
            problem = $"'{method}' has no '=result'";
            return false;
        }

        reader.Advance();
        reader.SkipCfws();
        var value = reader.ReadWord(stopAtDot: false).ToLowerInvariant();
        if (value.Length == 0)
        {
            problem = $"'{method}' has an empty result";
            return false;
        }

        string? reason = null;
        var properties = new List<AuthenticationProperty>();
        reader.SkipCfws();
        while (!reader.AtEnd && reader.Peek != ';')
        {
            var type = reader.ReadWord(stopAtDot: true).ToLowerInvariant();
            reader.SkipCfws();
            if (type == "reason" && reader.Peek == '=')
            {
                reader.Advance();
                reader.SkipCfws();
                reason = reader.ReadValue();
            }
            else if (type.Length > 0 && reader.Peek == '.')
            {
                reader.Advance();
                reader.SkipCfws();
                var name = reader.ReadWord(stopAtDot: false).ToLowerInvariant();
                reader.SkipCfws();
                if (name.Length == 0 || reader.Peek != '=')
                {
                    problem = $"the property '{type}.{name}' of '{method}' has no value";
                    return false;
                }

                reader.Advance();
                reader.SkipCfws();
                properties.Add(new AuthenticationProperty(type, name, reader.ReadPropertyValue()));
            }
            else
            {
                problem = $"'{type}' after '{method}={value}' is neither a reason nor a ptype.property";
                return false;
            }

            reader.SkipCfws();
        }

        result = new AuthenticationMethodResult(method, version, value, reason, properties);
        return true;
    }

    /// <summary>A cursor over the header value with the RFC 5322 CFWS and RFC 2045 token rules.</summary>
    private sealed class Reader(string text)
    {
        private const string TokenSpecials = "()<>@,;:\\\"/[]?=";

        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public char Peek => AtEnd ? '\0' : text[Position];

        public void Advance() => Position++;

        public string Rest(int max) => text.Substring(Position, Math.Min(max, text.Length - Position));

        public string Slice(int start) => text[start..Position];

        public void SkipCfws()
        {
            while (!AtEnd)
            {
                if (char.IsWhiteSpace(Peek))
                {
                    Position++;
                }
                else if (Peek == '(')
                {
                    SkipComment();
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>Moves to the next <c>;</c> outside comments and quoted strings (or the end).</summary>
        public void SkipTo(char stop)
        {
            while (!AtEnd && Peek != stop)
            {
                if (Peek == '(')
                {
                    SkipComment();
                }
                else if (Peek == '"')
                {
                    ReadQuoted();
                }
                else
                {
                    Position++;
                }
            }
        }

        public void SkipPast(char stop)
        {
            SkipTo(stop);
            if (!AtEnd)
            {
                Position++;
            }
        }

        public string ReadDigits()
        {
            var start = Position;
            while (Peek is >= '0' and <= '9')
            {
                Position++;
            }

            return text[start..Position];
        }

        /// <summary>A token (letters, digits and most punctuation); '.' ends it only where a ptype is expected.</summary>
        public string ReadWord(bool stopAtDot)
        {
            var start = Position;
            while (!AtEnd && Peek > ' ' && Peek < 127 && !TokenSpecials.Contains(Peek) && !(stopAtDot && Peek == '.'))
            {
                Position++;
            }

            return text[start..Position];
        }

        /// <summary>RFC 2045 value: a token or a quoted string.</summary>
        public string ReadValue() => Peek == '"' ? ReadQuoted() : ReadWord(stopAtDot: false);

        /// <summary>A pvalue: a value, or an address <c>[local-part]@domain</c> whose local part may be quoted.</summary>
        public string ReadPropertyValue()
        {
            var value = new StringBuilder();
            if (Peek == '"')
            {
                value.Append(ReadQuoted());
            }

            while (!AtEnd && Peek > ' ' && Peek != ';' && Peek != '(' && Peek != '"')
            {
                value.Append(Peek);
                Position++;
            }

            return value.ToString();
        }

        private string ReadQuoted()
        {
            var value = new StringBuilder();
            Position++; // opening quote
            while (!AtEnd && Peek != '"')
            {
                if (Peek == '\\' && Position + 1 < text.Length)
                {
                    Position++;
                }

                value.Append(Peek);
                Position++;
            }

            if (!AtEnd)
            {
                Position++; // closing quote
            }

            return value.ToString();
        }

        private void SkipComment()
        {
            var depth = 0;
            while (!AtEnd)
            {
                var c = Peek;
                Position++;
                if (c == '\\')
                {
                    Position++;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    return;
                }
            }
        }
    }
}
