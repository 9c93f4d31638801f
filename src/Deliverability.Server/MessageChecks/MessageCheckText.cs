using Deliverability.Core.MessageChecks;

namespace Deliverability.Server.MessageChecks;

/// <summary>The words and colours of the Message check page.</summary>
public static class MessageCheckText
{
    public static string ScoreCss(double score) => score >= 8 ? "status-ok" : score >= 5 ? "status-warning" : "status-error";

    public static string SeverityCss(string severity) => severity switch
    {
        "error" => "status-error",
        "warning" => "status-warning",
        _ => "status-none",
    };

    public static string GroupTitle(string group) => group switch
    {
        MessageCheckGroups.Authentication => "Authentication",
        MessageCheckGroups.BulkSender => "Bulk-sender rules",
        MessageCheckGroups.Content => "Content",
        MessageCheckGroups.Links => "Links",
        MessageCheckGroups.Spam => "Spam score",
        _ => group,
    };

    public static string DkimCss(string result) => result switch
    {
        "pass" => "status-ok",
        "temperror" or "neutral" => "status-warning",
        _ => "status-error",
    };

    public static string Points(double points) => points.ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Signed(double change) => change.ToString("+0.0;-0.0;±0.0", System.Globalization.CultureInfo.InvariantCulture);
}
