using System.Globalization;
using Deliverability.Core.LoadTests;

namespace Deliverability.Server.LoadTests;

/// <summary>How the Load tests pages and the Overview write a run's numbers and colour its status.</summary>
public static class LoadTestText
{
    public static string PerSecond(double? rate) => rate is { } r ? r.ToString(r < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + "/s" : "";

    public static string Ms(double? ms) => ms is { } m ? m.ToString(m < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + " ms" : "";

    public static string Percent(double? share) => share is { } s ? s.ToString("0.##%", CultureInfo.InvariantCulture) : "";

    public static string Count(long? count) => count is { } c ? c.ToString("N0", CultureInfo.InvariantCulture) : "";

    public static string Elapsed(TimeSpan elapsed) => elapsed.TotalHours >= 1
        ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public static string StatusCss(string status) => status switch
    {
        "completed" => "status-ok",
        "running" => "status-none",
        "aborted" => "status-warning",
        _ => "status-error", // failed, refused
    };

    public static string StatusCss(LoadTestRunStatus status) => StatusCss(LoadTestRunSummaryDto.StatusWord(status));

    /// <summary>"held", "breached", or "" while unknown.</summary>
    public static string Thresholds(bool? held) => held switch { true => "held", false => "breached", null => "" };

    public static string ThresholdsCss(bool? held) => held switch { true => "status-ok", false => "status-error", null => "status-none" };
}
