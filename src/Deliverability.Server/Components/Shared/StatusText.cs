using Deliverability.Core.Audits;

namespace Deliverability.Server.Components.Shared;

/// <summary>How a status is written and coloured everywhere in the dashboard.</summary>
public static class StatusText
{
    public static string Label(CheckStatus? status) => status is { } s ? s.ToString().ToLowerInvariant() : "not audited";

    public static string Css(CheckStatus? status) => status is { } s ? "status-" + s.ToString().ToLowerInvariant() : "status-none";

    /// <summary>A share from 0 to 1 as a percentage ("66.7%"), or "n/a" when nothing was measured.</summary>
    public static string Rate(double? rate) => rate is { } r ? r.ToString("0.#%", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
