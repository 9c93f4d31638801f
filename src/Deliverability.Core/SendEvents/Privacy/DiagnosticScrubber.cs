using System.Text.RegularExpressions;

namespace Deliverability.Core.SendEvents.Privacy;

/// <summary>Removes email addresses from a diagnostic (a bounce often quotes the recipient) and bounds its length.</summary>
public static partial class DiagnosticScrubber
{
    public const string Replacement = "<address>";

    public static string? Scrub(string? diagnostic)
    {
        if (string.IsNullOrWhiteSpace(diagnostic))
        {
            return null;
        }

        // Cut first (the scrub is linear, but a megabyte is not worth reading), then again after.
        var text = diagnostic.Length > 4000 ? diagnostic[..4000] : diagnostic;
        text = Address().Replace(text, Replacement);
        text = string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        return text.Length <= SendEventRowConfiguration.DiagnosticLength ? text : text[..(SendEventRowConfiguration.DiagnosticLength - 3)] + "...";
    }

    // A local part and a domain around an @, also when the local part is quoted or encoded (=40 in some bounces).
    [GeneratedRegex(@"(""[^""\r\n]{1,64}""|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})(@|=40|%40)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.?){1,10}", RegexOptions.NonBacktracking)]
    private static partial Regex Address();
}
