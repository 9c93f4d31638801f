using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;

namespace Deliverability.Server.Domains;

/// <summary>
/// The "add a domain" and "edit a domain" form: lists are typed as text (comma or space separated); each field has its own message, with
/// the same rules as <c>Monitor:Domains</c> in configuration.
/// </summary>
public sealed class DomainInput
{
    public string Name { get; set; } = "";

    public string DkimSelectors { get; set; } = "";

    public string SendingIps { get; set; } = "";

    public string ReturnPathDomain { get; set; } = "";

    public string DkimSigningDomain { get; set; } = "";

    public static IEnumerable<string> NameErrors(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return "Enter the sending domain, e.g. example.com.";
        }
        else if (!DomainName.TryParse(value, out _, out var problem))
        {
            yield return problem;
        }
    }

    public static IEnumerable<string> SelectorErrors(string? value) =>
        Items(value).Where(s => !MonitoredDomainRules.IsValidSelector(s)).Select(s => $"'{s}' is not a valid DKIM selector (letters, digits, '-' and '_').");

    public static IEnumerable<string> IpErrors(string? value) =>
        Items(value).Where(ip => !IpAddressText.IsValid(ip)).Select(ip => $"'{ip}' is not an IP address.");

    public static IEnumerable<string> OptionalDomainErrors(string? value) =>
        string.IsNullOrWhiteSpace(value) || DomainName.TryParse(value, out _, out var problem) ? [] : [problem];

    public bool IsValid =>
        !NameErrors(Name).Any() && !SelectorErrors(DkimSelectors).Any() && !IpErrors(SendingIps).Any()
        && !OptionalDomainErrors(ReturnPathDomain).Any() && !OptionalDomainErrors(DkimSigningDomain).Any();

    /// <summary>The form filled with a monitored domain, for editing (names in their stored A-label form).</summary>
    public static DomainInput From(MonitoredDomain domain) => new()
    {
        Name = domain.Name,
        DkimSelectors = string.Join(", ", domain.DkimSelectors),
        SendingIps = string.Join(", ", domain.SendingIps),
        ReturnPathDomain = domain.ReturnPathDomain ?? "",
        DkimSigningDomain = domain.DkimSigningDomain ?? "",
    };

    /// <summary>The domain in its stored form (<see cref="MonitoredDomain.Normalized"/>); call only when <see cref="IsValid"/>.</summary>
    public MonitoredDomain ToMonitoredDomain() => new MonitoredDomain
    {
        Name = Name,
        DkimSelectors = [.. Items(DkimSelectors)],
        SendingIps = [.. Items(SendingIps)],
        ReturnPathDomain = ReturnPathDomain,
        DkimSigningDomain = DkimSigningDomain,
    }.Normalized();

    private static string[] Items(string? list) => (list ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
