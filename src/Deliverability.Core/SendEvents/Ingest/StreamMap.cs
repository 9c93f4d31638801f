namespace Deliverability.Core.SendEvents.Ingest;

/// <summary>The configured streams' matches: the first stream with a match of the event is its stream, else "default".</summary>
public sealed class StreamMap
{
    public const string Default = "default";
    private readonly List<(string Stream, string Kind, string Value)> _matches = [];
    private readonly HashSet<string> _critical;

    public StreamMap(SendEventsOptions options)
    {
        foreach (var stream in options.Streams)
        {
            foreach (var match in stream.Match)
            {
                if (TryParse(match, out var kind, out var value))
                {
                    _matches.Add((stream.Name.Trim(), kind, value));
                }
            }
        }

        _critical = new HashSet<string>(options.CriticalTags.Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The kinds of match: a tag (category), a campaign, a message stream, an SES configuration set, a source, a sending domain.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["tag", "campaign", "stream", "configset", "source", "domain"];

    public static bool TryParse(string match, out string kind, out string value)
    {
        var colon = match.IndexOf(':', StringComparison.Ordinal);
        kind = colon > 0 ? match[..colon].Trim().ToLowerInvariant() : "";
        value = colon > 0 ? match[(colon + 1)..].Trim() : "";
        return Kinds.Contains(kind) && value.Length > 0;
    }

    public string StreamOf(string source, string? sendingDomain, IReadOnlyList<string> tags, string? campaign, string? messageStream, string? configurationSet)
    {
        foreach (var (stream, kind, value) in _matches)
        {
            var hit = kind switch
            {
                "tag" => tags.Any(t => string.Equals(t, value, StringComparison.OrdinalIgnoreCase)),
                "campaign" => string.Equals(campaign, value, StringComparison.OrdinalIgnoreCase),
                "stream" => string.Equals(messageStream, value, StringComparison.OrdinalIgnoreCase),
                "configset" => string.Equals(configurationSet, value, StringComparison.OrdinalIgnoreCase),
                "source" => string.Equals(source, value, StringComparison.OrdinalIgnoreCase),
                "domain" => string.Equals(sendingDomain, value, StringComparison.OrdinalIgnoreCase),
                _ => false,
            };
            if (hit)
            {
                return stream;
            }
        }

        return Default;
    }

    public bool IsCritical(IReadOnlyList<string> tags, string? campaign) =>
        tags.Any(_critical.Contains) || (campaign is not null && _critical.Contains(campaign));
}
