using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>Where SNS signing certificates and subscription confirmations may be fetched from.</summary>
public static partial class SnsHost
{
    /// <summary>https on <c>sns.&lt;region&gt;.amazonaws.com</c> (or <c>.com.cn</c>), port 443, nothing else: a forged message cannot make us fetch from its own server.</summary>
    public static bool IsAllowed(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort
        && string.IsNullOrEmpty(uri.UserInfo) && Host().IsMatch(uri.IdnHost);

    [GeneratedRegex(@"^sns\.[a-z0-9-]{1,30}\.amazonaws\.com(\.cn)?$", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex Host();
}

/// <summary>The SNS signing certificates, fetched over https from SNS hosts only, and cached.</summary>
public interface ISnsCertificates
{
    /// <summary>The certificate at <paramref name="url"/>, or null when it may not be fetched or is not a certificate.</summary>
    Task<X509Certificate2?> GetAsync(string url, CancellationToken cancellationToken);
}

/// <summary>
/// Fetches with the HTTP client it is given (the named client <c>sns</c>: a test gives one whose handler serves its own
/// certificate); the host rule of <see cref="SnsHost"/> applies whatever the client. Each certificate is cached by URL.
/// </summary>
public sealed class SnsCertificates(HttpClient http) : ISnsCertificates
{
    private const int MaxCertificateBytes = 64 * 1024;
    private const int MaxCached = 100;
    private readonly ConcurrentDictionary<string, Lazy<Task<X509Certificate2?>>> _cache = new(StringComparer.Ordinal);

    public async Task<X509Certificate2?> GetAsync(string url, CancellationToken cancellationToken)
    {
        if (!SnsHost.IsAllowed(url))
        {
            return null;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        var entry = _cache.GetOrAdd(url, u => new Lazy<Task<X509Certificate2?>>(() => FetchAsync(u)));
        var certificate = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (certificate is null)
        {
            // A failed fetch is not cached: the next message tries again.
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<X509Certificate2?>>>(url, entry));
        }

        return certificate;
    }

    private async Task<X509Certificate2?> FetchAsync(string url)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxCertificateBytes)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (bytes.Length > MaxCertificateBytes)
            {
                return null;
            }

            // SNS serves PEM; DER is read too.
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>Confirms an SNS subscription by a GET of its SubscribeURL, on an SNS host over https only.</summary>
public sealed class SnsSubscriptions(HttpClient http)
{
    /// <summary>Null when confirmed, else why not.</summary>
    public async Task<string?> ConfirmAsync(string? subscribeUrl, CancellationToken cancellationToken)
    {
        if (!SnsHost.IsAllowed(subscribeUrl))
        {
            return "SubscribeURL: not an https URL on an sns.<region>.amazonaws.com host";
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync(subscribeUrl, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"SNS answered {(int)response.StatusCode} to the confirmation";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return "SNS could not be reached to confirm the subscription";
        }
    }
}
