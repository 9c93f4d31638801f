using System.Diagnostics.CodeAnalysis;
using Deliverability.Forecasting;

namespace Deliverability.Server.Forecasts;

/// <summary>A stream's name: 1 to 64 of <c>a-z 0-9 . _ -</c> (lower case), as the forecaster accepts it.</summary>
public static class StreamNames
{
    public const string Rule = "1 to 64 characters of a-z, 0-9, '.', '_' and '-' (not plan, campaigns, history or runs)";

    // Words of /api/forecasts's own routes: a stream of that name could not be read at /api/forecasts/{stream}.
    private static readonly string[] Reserved = ["plan", "campaigns", "history", "runs"];

    /// <summary>The forecaster's own rule, less the words of the routes.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) =>
        VolumeSeries.IsValidStreamName(name) && !Reserved.Contains(name, StringComparer.Ordinal);

    /// <summary>The problem detail of a name that is not valid, naming the field.</summary>
    public static string Problem(string? name) => $"stream: {Rule} (was '{Shown(name)}')";

    /// <summary>The text shown back in an error: cut short, the client's own text.</summary>
    public static string Shown(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "...";
}
