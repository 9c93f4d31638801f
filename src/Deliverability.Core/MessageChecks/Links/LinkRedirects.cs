using System.Net;
using Deliverability.Core.Audits;

namespace Deliverability.Core.MessageChecks.Links;

/// <summary>Where one link led: each URL it redirected to, in order; the last is where it ends (or where following stopped).</summary>
/// <param name="Problem">Why following stopped early (a request that failed, too many redirects), null when it ended.</param>
public sealed record LinkRedirect(string Link, IReadOnlyList<string> Hops, string? Problem)
{
    public string FinalUrl => Hops.Count > 0 ? Hops[^1] : Link;
}

/// <summary>
/// Follows the message's http(s) links through their redirects (HEAD, else GET when HEAD is refused), up to
/// <see cref="RedirectOptions.MaxRedirects"/>, requesting only hosts in <see cref="RedirectOptions.AllowedHosts"/>:
/// a redirect to any other host is recorded (its domain is checked on the URI block lists) but not requested. No body
/// is read, no cookie kept, no proxy used.
/// </summary>
public sealed class LinkRedirects(RedirectOptions options, HttpMessageHandler? handler = null)
{
    public async Task<(IReadOnlyList<LinkRedirect> Redirects, IReadOnlyList<Finding> Findings)> FollowAsync(IEnumerable<string> links, CancellationToken cancellationToken = default)
    {
        if (!options.Enabled)
        {
            return ([], []);
        }

        var followable = links
            .Where(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) && IsFollowable(uri))
            .Distinct(StringComparer.Ordinal)
            .Take(options.MaxLinks)
            .ToList();
        if (followable.Count == 0)
        {
            return ([], []);
        }

        using var client = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false, ConnectTimeout = Timeout }, disposeHandler: handler is null)
        {
            Timeout = Timeout,
        };
        var redirects = new List<LinkRedirect>();
        foreach (var link in followable)
        {
            redirects.Add(await FollowOneAsync(client, link, cancellationToken).ConfigureAwait(false));
        }

        var findings = new List<Finding>();
        foreach (var moved in redirects.Where(r => r.Hops.Count > 0))
        {
            findings.Add(Finding.Info("message.links.redirects", $"{moved.Link} redirects {moved.Hops.Count} time(s), to {moved.FinalUrl}; its domains were checked on the URI block lists.",
                "Link straight to the page where you can: each redirect is one more domain whose reputation the message carries.") with { Subject = moved.Link });
        }

        foreach (var stopped in redirects.Where(r => r.Problem is not null))
        {
            findings.Add(Finding.Warning("message.links.redirect_unfollowed", $"{stopped.Link} could not be followed to its end: {stopped.Problem}.",
                "Check that the link works and ends within a few redirects.") with { Subject = stopped.Link });
        }

        return (redirects, findings);
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(options.TimeoutSeconds);

    private bool IsFollowable(Uri uri) => (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && HostPatterns.Matches(options.AllowedHosts, uri.IdnHost);

    private async Task<LinkRedirect> FollowOneAsync(HttpClient client, string link, CancellationToken cancellationToken)
    {
        var hops = new List<string>();
        var current = new Uri(link);
        while (true)
        {
            if (!IsFollowable(current))
            {
                // Not ours to ask: its domain is known from the Location header, which is all the block lists need.
                return new LinkRedirect(link, hops, null);
            }

            if (hops.Count >= options.MaxRedirects)
            {
                return new LinkRedirect(link, hops, $"still redirecting after {options.MaxRedirects} redirects ({MessageCheckOptions.SectionName}:Redirects:MaxRedirects)");
            }

            Uri? next;
            try
            {
                next = await NextAsync(client, current, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
            {
                return new LinkRedirect(link, hops, $"{current.GetLeftPart(UriPartial.Path)}: {(ex is TaskCanceledException ? $"no answer within {options.TimeoutSeconds} s" : ex.Message)}");
            }

            if (next is null)
            {
                return new LinkRedirect(link, hops, null);
            }

            hops.Add(next.AbsoluteUri);
            current = next;
        }
    }

    /// <summary>Where <paramref name="uri"/> redirects to, or null when it answers without redirecting.</summary>
    private static async Task<Uri?> NextAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, uri), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (head.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            using var get = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return Location(get, uri);
        }

        return Location(head, uri);
    }

    private static Uri? Location(HttpResponseMessage response, Uri from) =>
        (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location && Uri.TryCreate(from, location, out var next)
            && (next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps)
            ? next
            : null;
}
