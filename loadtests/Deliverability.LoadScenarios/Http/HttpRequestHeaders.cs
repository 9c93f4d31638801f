namespace Deliverability.LoadScenarios;

/// <summary>What a request header of a scenario may be: an RFC 9110 token name and a value without line breaks or controls.</summary>
internal static class HttpRequestHeaders
{
    // Set by the client itself; a scenario cannot choose them.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "Host", "Content-Length", "Transfer-Encoding", "Connection" };

    public static string? Problem(string name, string value)
    {
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            return "is not a header name";
        }

        if (Reserved.Contains(name))
        {
            return "is set by the client and cannot be given";
        }

        return value.Any(c => c is '\r' or '\n' or '\0' || (char.IsControl(c) && c != '\t')) ? "the value holds a line break or a control character" : null;
    }

    public static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
