using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Core.Alerts;

/// <summary>Label and annotation names, and the fingerprint that identifies an alert by its labels.</summary>
public static class AlertLabels
{
    public const string AlertName = "alertname";
    public const string Severity = "severity";
    public const string Domain = "domain";
    public const string Ip = "ip";
    public const string Provider = "provider";
    public const string Check = "check";
    public const string Zone = "zone";
    public const string SendPath = "send_path";
    public const string Peak = "peak";

    public const string Summary = "summary";
    public const string Description = "description";
    public const string Fix = "fix";
    public const string DashboardUrl = "dashboard_url";

    /// <summary>A stable hash of the sorted labels (16 hex digits): the same labels always give the same alert.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\u0000').Append(value).Append('\u0001');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }

    /// <summary>Labels sorted by name, without empty values.</summary>
    public static SortedDictionary<string, string> Of(params (string Name, string? Value)[] labels)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in labels)
        {
            if (!string.IsNullOrEmpty(value))
            {
                sorted[name] = value;
            }
        }

        return sorted;
    }
}

/// <summary>What a rule says holds now: one alert's labels and annotations, since when, and when it may fire.</summary>
/// <param name="ActiveSince">When the condition started to hold (the first bad run).</param>
/// <param name="Runs">How many consecutive runs it has held (1 for conditions that are not about runs).</param>
/// <param name="For">How long it must hold before firing.</param>
/// <param name="ForRuns">How many consecutive runs it must hold before firing.</param>
public sealed record AlertCondition(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset ActiveSince,
    int Runs,
    TimeSpan For,
    int ForRuns)
{
    public string Fingerprint { get; } = AlertLabels.Fingerprint(Labels);

    public string AlertName => Labels.TryGetValue(AlertLabels.AlertName, out var name) ? name : "";

    public bool MayFire(DateTimeOffset now) => now - ActiveSince >= For && Runs >= ForRuns;
}
