using System.Globalization;

namespace Deliverability.Server.Forecasts;

/// <summary>How the Forecasts page and the Overview write rates, shares, verdicts and volumes.</summary>
public static class ForecastText
{
    public static string PerSecond(double? rate) =>
        rate is { } r ? r.ToString(r >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture) + "/s" : "–";

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Volume(double? count) => count is { } c ? c.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    public static string Number(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Hour(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "–";

    /// <summary>The colour class of a verdict word (<c>ready</c>, <c>at risk</c>, <c>not ready</c>, <c>unknown</c>).</summary>
    public static string VerdictCss(string verdict) => "verdict-" + verdict.Replace(' ', '-');
}
