using System.Text.Json;

namespace Deliverability.Core.Alerts;

/// <summary>The matchers of a stored silence, checked again as they are read: a silence stored by an earlier release may break today's limits.</summary>
public static class SilenceMatchers
{
    /// <summary>The matchers as stored (none when the column is not a JSON list).</summary>
    public static IReadOnlyList<string> Texts(SilenceRow row)
    {
        try
        {
            return AlertJson.List(row.MatchersJson);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Compiles the silence's matchers, or says in plain words why it cannot be applied.</summary>
    public static bool TryCompile(SilenceRow row, out IReadOnlyList<AlertMatcher> matchers, out string problem)
    {
        matchers = [];
        string[] texts;
        try
        {
            texts = AlertJson.List(row.MatchersJson);
        }
        catch (JsonException)
        {
            problem = "its matchers are not a JSON list of strings";
            return false;
        }

        if (texts.Length is 0 or > AlertMatcher.MaxCount)
        {
            // No matcher would mute every alert; more than the limit is more than any silence made through the API.
            problem = $"it has {texts.Length} matchers (1 to {AlertMatcher.MaxCount} are accepted)";
            return false;
        }

        if (!AlertMatcher.TryParseAll(texts, out matchers, out var error))
        {
            problem = error!;
            return false;
        }

        problem = "";
        return true;
    }
}
