namespace Deliverability.Core.Alerts;

/// <summary>A compiled inhibition rule: firing sources mute the targets that share the <c>Equal</c> labels.</summary>
public sealed class Inhibition(IReadOnlyList<AlertMatcher> source, IReadOnlyList<AlertMatcher> target, IReadOnlyList<string> equal)
{
    /// <summary>The built-in rule: a blacklisted IP mutes the placement (inbox rate) alerts of the same IP.</summary>
    public static Inhibition ListedIpMutesPlacement { get; } = new(
        [new AlertMatcher(AlertLabels.AlertName, MatchOperator.Equal, Rules.BlacklistRule.Name), new AlertMatcher(AlertLabels.Ip, MatchOperator.NotEqual, "")],
        [new AlertMatcher(AlertLabels.AlertName, MatchOperator.Equal, Rules.InboxRateRule.Name)],
        [AlertLabels.Ip]);

    public IReadOnlyList<AlertMatcher> Source { get; } = source;

    public IReadOnlyList<AlertMatcher> Target { get; } = target;

    public IReadOnlyList<string> Equal { get; } = equal;

    public static Inhibition From(InhibitionOptions options) =>
        new(AlertMatcher.ParseAll(options.SourceMatchers), AlertMatcher.ParseAll(options.TargetMatchers), options.Equal.Select(e => e.Trim()).ToArray());

    /// <summary>The values of the equal labels of each firing source, with the source's fingerprint.</summary>
    public Dictionary<string, string> SourceKeys(IEnumerable<(string Fingerprint, IReadOnlyDictionary<string, string> Labels)> firing)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (fingerprint, labels) in firing)
        {
            if (AlertMatcher.MatchesAll(Source, labels))
            {
                keys.TryAdd(Key(labels), fingerprint);
            }
        }

        return keys;
    }

    /// <summary>Whether <paramref name="labels"/> is a target muted by one of <paramref name="sourceKeys"/> (never by itself).</summary>
    public bool Mutes(Dictionary<string, string> sourceKeys, string fingerprint, IReadOnlyDictionary<string, string> labels) =>
        sourceKeys.Count > 0
        && AlertMatcher.MatchesAll(Target, labels)
        && sourceKeys.TryGetValue(Key(labels), out var source)
        && source != fingerprint;

    private string Key(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\u0000', Equal.Select(name => labels.TryGetValue(name, out var value) ? value : ""));
}
