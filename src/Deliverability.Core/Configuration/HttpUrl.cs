namespace Deliverability.Core.Configuration;

/// <summary>
/// A web address that may be shown as a link: absolute, <c>http</c> or <c>https</c>, with a host. Anything else
/// (<c>javascript:</c>, <c>data:</c>, <c>file:</c>, a relative path) would run or open something other than a web page
/// when clicked.
/// </summary>
public static class HttpUrl
{
    public static bool IsValid(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && url.Host.Length > 0;
}
