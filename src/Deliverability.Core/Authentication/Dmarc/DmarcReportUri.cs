using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Dmarc;

/// <summary>One <c>rua</c>/<c>ruf</c> destination: <c>mailto:dmarc@example.com!10m</c>.</summary>
/// <param name="Address">The mail address of a <c>mailto:</c> URI, else null.</param>
/// <param name="Domain">The domain of <see cref="Address"/>, lower case, else null.</param>
/// <param name="SizeLimit">The <c>!size</c> suffix without the <c>!</c>, or null.</param>
public sealed record DmarcReportUri(string Uri, string Scheme, string? Address, string? Domain, string? SizeLimit)
{
    public bool IsMailto => Scheme == "mailto";

    /// <summary>
    /// Reads one destination, RFC 7489 section 6.2: <c>URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]</c>;
    /// null with the reason in <paramref name="error"/> when it is not one.
    /// </summary>
    public static DmarcReportUri? Parse(string item, out string error)
    {
        error = "";
        if (item.Length == 0)
        {
            error = "it is empty";
            return null;
        }

        string? size = null;
        var uri = item;
        var bang = item.LastIndexOf('!');
        if (bang >= 0)
        {
            size = item[(bang + 1)..];
            uri = item[..bang];
            if (!IsSizeLimit(size))
            {
                error = $"the size limit '!{size}' must be digits with an optional k, m, g or t";
                return null;
            }
        }

        var colon = uri.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(uri[0]) || !uri[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            error = uri.Contains('@') ? "it has no scheme (write mailto: before the address)" : "it is not a URI";
            return null;
        }

        var scheme = uri[..colon].ToLowerInvariant();
        if (scheme != "mailto")
        {
            return new DmarcReportUri(item, scheme, null, null, size);
        }

        var address = uri[(colon + 1)..];
        var query = address.IndexOf('?');
        if (query >= 0)
        {
            address = address[..query];
        }

        // A record is ASCII: a U-label in it is not a name DNS can be asked for.
        var at = address.LastIndexOf('@');
        var domainText = at < 0 ? "" : address[(at + 1)..];
        if (at <= 0 || !System.Text.Ascii.IsValid(domainText) || !DomainName.TryParse(domainText, out var domain, out _))
        {
            error = $"'{address}' is not a mail address";
            return null;
        }

        return new DmarcReportUri(item, scheme, address, domain.Ascii, size);
    }

    private static bool IsSizeLimit(string size)
    {
        var digits = size.Length > 0 && size[^1] is 'k' or 'm' or 'g' or 't' or 'K' or 'M' or 'G' or 'T' ? size[..^1] : size;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }
}
