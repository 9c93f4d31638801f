namespace Deliverability.Core.Placement;

/// <summary>
/// What the receiving provider concluded about the test message's SPF, DKIM and DMARC, read from its
/// <c>Authentication-Results</c> headers. Null means the receiver reported nothing for that method.
/// </summary>
public sealed record ReceiverAuthentication(string? Spf, string? Dkim, string? Dmarc)
{
    public static readonly ReceiverAuthentication None = new(null, null, null);

    /// <summary>True when a method the receiver reported is anything but <c>pass</c> (fail, softfail, none, temperror...).</summary>
    public bool HasFailure => new[] { Spf, Dkim, Dmarc }.Any(r => r is not null && r != "pass");

    /// <summary>
    /// Reads the header fields in message order (the topmost, i.e. the receiver's last hop, first). When
    /// <paramref name="authServId"/> is given only headers of that receiver count: a header an earlier hop added, or
    /// one the sender forged, must not speak for the receiver (RFC 8601 5). Otherwise the topmost header that reports
    /// a method wins. DKIM is <c>pass</c> when any signature passed (a message may carry several).
    /// </summary>
    public static ReceiverAuthentication From(IEnumerable<string> headerValues, string? authServId = null)
    {
        var headers = headerValues.Select(AuthenticationResultsHeader.Parse)
            .Where(h => authServId is null || string.Equals(h.AuthServId, authServId, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return new ReceiverAuthentication(Verdict(headers, "spf"), Verdict(headers, "dkim"), Verdict(headers, "dmarc"));
    }

    private static string? Verdict(List<AuthenticationResultsHeader> headers, string method)
    {
        foreach (var header in headers)
        {
            var results = header.Results.Where(r => r.Method == method).Select(r => r.Result).ToList();
            if (results.Count > 0)
            {
                return results.Contains("pass") ? "pass" : results[0];
            }
        }

        return null;
    }
}
