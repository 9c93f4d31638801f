namespace Deliverability.Core.SendEvents.Throttling;

/// <summary>
/// Finds the known throttling or blocking code in a provider's reply (<see cref="ThrottlingCodes"/>). Plain substring
/// matches on the scrubbed diagnostic (at most 1,000 characters): no regular expression runs on text from outside.
/// </summary>
public static class ThrottlingDecoder
{
    /// <summary>The code the reply carries, or null when it carries none known.</summary>
    /// <param name="mailboxProvider">The recipient's mailbox provider, when known: some replies only mean something there.</param>
    public static ThrottlingCode? Decode(string? mailboxProvider, string? enhancedStatus, string? diagnostic)
    {
        if (string.IsNullOrEmpty(diagnostic) && string.IsNullOrEmpty(enhancedStatus))
        {
            return null;
        }

        var text = diagnostic ?? "";
        var status = enhancedStatus?.Trim() ?? "";
        foreach (var code in ThrottlingCodes.All)
        {
            if (code.ProviderMustMatch && !string.Equals(code.MailboxProvider, mailboxProvider, StringComparison.Ordinal))
            {
                continue;
            }

            if (code.EnhancedStatus is { } wanted && status != wanted && !text.Contains(wanted, StringComparison.Ordinal))
            {
                continue;
            }

            if (code.Tokens.All(token => HasToken(text, token, status)))
            {
                return code;
            }
        }

        return null;
    }

    /// <summary>The code of <paramref name="id"/>, or null for an id this release does not know.</summary>
    public static ThrottlingCode? Find(string id) => ThrottlingCodes.All.FirstOrDefault(c => c.Id == id);

    private static bool HasToken(string text, string token, string status) =>
        text.Contains(token, StringComparison.OrdinalIgnoreCase) || (IsStatus(token) && status == token);

    // An enhanced status code (4.7.28) may come in its own field rather than in the text.
    private static bool IsStatus(string token) => token.Length >= 5 && token[1] == '.' && char.IsAsciiDigit(token[0]);
}
