using System.Globalization;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>The freshness check of a signed timestamp: a captured request replayed later is refused.</summary>
public static class SignedTimestamp
{
    /// <summary>Null when <paramref name="unixSeconds"/> is within <paramref name="window"/> of now (either side), else why not.</summary>
    public static string? Problem(string? unixSeconds, TimeSpan window, DateTimeOffset now)
    {
        if (!long.TryParse(unixSeconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 253402300799)
        {
            return "the signed timestamp is missing or not a unix time";
        }

        return Problem(DateTimeOffset.FromUnixTimeSeconds(seconds), window, now);
    }

    public static string? Problem(DateTimeOffset at, TimeSpan window, DateTimeOffset now)
    {
        var age = now - at;
        return age > window ? $"the signed timestamp is {age.TotalSeconds:0} s old, outside the replay window of {window.TotalSeconds:0} s"
            : -age > window ? "the signed timestamp is in the future, outside the replay window"
            : null;
    }
}
