using System.Diagnostics.CodeAnalysis;

namespace Deliverability.Server.Forecasts;

/// <summary>A stream's name: 1 to 64 of <c>a-z 0-9 . _ -</c> (lower case), as the forecaster accepts it.</summary>
public static class StreamNames
{
    public const int MaxLength = 64;

    public const string Rule = "1 to 64 characters of a-z, 0-9, '.', '_' and '-' (not plan, campaigns, history or runs)";

    // Words of /api/forecasts's own routes: a stream of that name could not be read at /api/forecasts/{stream}.
    private static readonly string[] Reserved = ["plan", "campaigns", "history", "runs"];

    public static bool IsValid([NotNullWhen(true)] string? name) =>
        name is { Length: > 0 and <= MaxLength } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-')
        && !Reserved.Contains(name, StringComparer.Ordinal);

    /// <summary>The text shown back in an error: cut short, the client's own text.</summary>
    public static string Shown(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "...";
}
