using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Configuration;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Settings;

/// <summary>
/// <c>/api/settings/domains</c>: the sending domains, as on Settings → Domains, by name (in its A-label form; a U-label
/// in the address finds the same domain). As on the page, a domain added or changed is audited at once.
/// </summary>
internal sealed class DomainSettings(MonitoredDomainCatalog catalog, AuditCycle cycle, ILogger<DomainSettings> logger) : ISettingItems<DomainRequest, DomainSettingDto>
{
    public string What => "domain";

    public string KeyField => "name";

    public string Section => "Monitor:Domains";

    public string Path => "/api/settings/domains";

    public async Task<IReadOnlyList<SettingItem<DomainSettingDto>>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await catalog.GetAllAsync(cancellationToken)).Select(d => new SettingItem<DomainSettingDto>(d.Name.Ascii, OriginOf(d), DomainSettingDto.From(d)))];

    /// <summary>The name as the list keys it (A-label, lower case), so <c>Bücher.example</c> and <c>xn--bcher-kva.example</c> are one domain.</summary>
    public string? KeyOf(DomainRequest request) => request.Name is null ? null : Canonical(request.Name);

    public string Canonical(string key) => DomainName.TryParse(key, out var name, out _) ? name.Ascii : key;

    public async Task<SettingSave> SaveAsync(DomainRequest request, string key, bool isNew, string by, CancellationToken cancellationToken)
    {
        var domain = request.ToOptions();
        domain.Name = key;
        var problems = MonitoredDomainRules.Problems(domain).ToList();
        if (problems.Count > 0)
        {
            return new SettingSave(problems);
        }

        var stored = isNew ? await catalog.AddAsync(domain, by, cancellationToken) : await catalog.UpdateAsync(domain, cancellationToken);
        if (!stored)
        {
            // Added or removed at the same moment elsewhere.
            return SettingSave.Refused("Name", isNew ? $"'{key}' is monitored already" : $"'{key}' is not a domain added in the dashboard");
        }

        AuditNow(DomainName.Parse(domain.Normalized().Name));
        return SettingSave.Saved;
    }

    public async Task<ProblemHttpResult?> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        if (DomainName.TryParse(key, out var name, out _))
        {
            await catalog.RemoveAsync(name, cancellationToken);
        }

        return null;
    }

    // New selectors or addresses change what the audit reads: audit now rather than at the next cycle, as the page does.
    private void AuditNow(DomainName name) => _ = Task.Run(async () =>
    {
        try
        {
            await cycle.AuditDomainAsync(name, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "The first audit of {Domain} failed; the next cycle audits it", name.Ascii);
        }
    });

    public static SettingOrigin OriginOf(CatalogDomain domain) => domain.Origin == DomainOrigin.Configuration ? SettingOrigin.Configuration : SettingOrigin.Dashboard;
}

/// <summary>
/// A sending domain to add or change: the shape of an item of <c>Monitor:Domains</c>. Lists left out are empty.
/// Unknown fields are refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DomainRequest(string? Name, string?[]? DkimSelectors, string?[]? SendingIps, string? ReturnPathDomain, string? DkimSigningDomain)
{
    public MonitoredDomain ToOptions() => new()
    {
        Name = Name ?? "",
        DkimSelectors = [.. (DkimSelectors ?? []).Select(s => s ?? "")],
        SendingIps = [.. (SendingIps ?? []).Select(ip => ip ?? "")],
        ReturnPathDomain = ReturnPathDomain,
        DkimSigningDomain = DkimSigningDomain,
    };
}

/// <summary>A sending domain as the settings API shows it, in its stored form (A-labels, lower case).</summary>
/// <param name="Source"><c>configuration</c> (read-only) or <c>dashboard</c>.</param>
public sealed record DomainSettingDto(string Name, string[] DkimSelectors, string[] SendingIps, string? ReturnPathDomain, string? DkimSigningDomain, string Source)
{
    public static DomainSettingDto From(CatalogDomain item)
    {
        var domain = item.Domain.Normalized();
        return new(item.Name.Ascii, [.. domain.DkimSelectors], [.. domain.SendingIps], domain.ReturnPathDomain, domain.DkimSigningDomain, SettingResults.Source(DomainSettings.OriginOf(item)));
    }
}
