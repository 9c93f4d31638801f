using System.Collections.Concurrent;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// Mailgun's signature covers only timestamp + token, not the event: a captured signature could carry a forged event.
/// So a token seen within the replay window may come again only with the same event (a retry); with another it is
/// refused. Older tokens are refused by their timestamp, so the memory is bounded by the window.
/// </summary>
public sealed class MailgunTokens(TimeProvider time)
{
    private const int MaxTokens = 500_000;
    private readonly ConcurrentDictionary<string, (string Fingerprint, DateTimeOffset Until)> _seen = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="token"/> for <paramref name="fingerprint"/>; false when it was used for another event.</summary>
    public bool TryUse(string token, string fingerprint, TimeSpan window)
    {
        var now = time.GetUtcNow();
        if (_seen.Count >= MaxTokens)
        {
            foreach (var (key, value) in _seen)
            {
                if (value.Until < now)
                {
                    _seen.TryRemove(key, out _);
                }
            }
        }

        var entry = _seen.GetOrAdd(token, (fingerprint, now + window + window));
        return entry.Fingerprint == fingerprint;
    }
}
