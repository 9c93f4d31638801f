using Monitor.Core.Audits;

namespace Monitor.Server.Dashboard;

/// <summary>How a status is written and coloured everywhere in the dashboard.</summary>
public static class StatusText
{
    public static string Label(CheckStatus? status) => status is { } s ? s.ToString().ToLowerInvariant() : "not audited";

    public static string Css(CheckStatus? status) => status is { } s ? "status-" + s.ToString().ToLowerInvariant() : "status-none";

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "never";
}
