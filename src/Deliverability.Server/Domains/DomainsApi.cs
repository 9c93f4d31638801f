using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Domains;

/// <summary>
/// <c>/api/domains</c>: the monitored domains (configured and added in the dashboard) with their latest status, a domain's latest audit, an audit on demand
/// (run synchronously, answered with its stored result) and the history of changes of status.
/// </summary>
public static class DomainsApi
{
    public const int DefaultHistoryLimit = 100;
    public const int MaxHistoryLimit = 1000;

    public static IEndpointRouteBuilder MapDomainsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/domains").WithTags("Domains");
        group.MapGet("/", ListAsync);
        group.MapGet("/{domain}", GetAsync);
        group.MapPost("/{domain}/audit", AuditNowAsync);
        group.MapGet("/{domain}/history", HistoryAsync);
        return app;
    }

    private static async Task<Ok<DomainSummaryDto[]>> ListAsync(MonitoredDomainCatalog catalog, AuditResultStore store, CancellationToken cancellationToken)
    {
        var summaries = (await store.GetSummariesAsync(cancellationToken)).ToDictionary(s => s.Domain);
        var list = (await catalog.GetAllAsync(cancellationToken))
            .Select(d => d.Name.Ascii)
            .Select(name => summaries.TryGetValue(name, out var s)
                ? new DomainSummaryDto(name, DomainAuditDto.Name(s.Status), s.CheckedAt, s.Errors, s.Warnings)
                : new DomainSummaryDto(name, null, null, null, null))
            .ToArray();
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<DomainAuditDto>, ProblemHttpResult>> GetAsync(string domain, MonitoredDomainCatalog catalog, AuditResultStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(domain, catalog, cancellationToken) is not { } monitored)
        {
            return UnknownDomain(domain);
        }

        var name = monitored.Name.Ascii;
        var stored = await store.GetLatestAsync(name, cancellationToken);
        return stored is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not audited yet", detail: $"'{name}' is configured but has no stored audit yet; POST /api/domains/{name}/audit runs one now.")
            : TypedResults.Ok(DomainAuditDto.From(stored));
    }

    private static async Task<Results<Ok<DomainAuditDto>, ProblemHttpResult>> AuditNowAsync(string domain, AuditCycle cycle, AuditResultStore store, CancellationToken cancellationToken)
    {
        // A name that is not a domain name is not a monitored one either: 404, as for any unknown name.
        var report = DomainName.TryParse(domain, out var name, out _) ? await cycle.AuditDomainAsync(name, cancellationToken) : null;
        if (report is null)
        {
            return UnknownDomain(domain);
        }

        var stored = await store.GetLatestAsync(report.Domain, cancellationToken);
        return stored is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Audit not stored", detail: $"The audit of '{report.Domain}' ran but its result could not be read back.")
            : TypedResults.Ok(DomainAuditDto.From(stored));
    }

    private static async Task<Results<Ok<TransitionDto[]>, ProblemHttpResult>> HistoryAsync(string domain, string? check, int? limit, MonitoredDomainCatalog catalog, AuditResultStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(domain, catalog, cancellationToken) is not { } monitored)
        {
            return UnknownDomain(domain);
        }

        if (limit is < 1 or > MaxHistoryLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be 1 to {MaxHistoryLimit} (was {limit}).");
        }

        var rows = await store.GetHistoryAsync(monitored.Name.Ascii, check?.Trim().ToLowerInvariant(), limit ?? DefaultHistoryLimit, cancellationToken);
        return TypedResults.Ok(rows.Select(TransitionDto.Of).ToArray());
    }

    // The route's name in any form DomainName reads (U-label, upper case, trailing dot); null when it is not monitored.
    private static async Task<CatalogDomain?> FindAsync(string domain, MonitoredDomainCatalog catalog, CancellationToken cancellationToken) =>
        DomainName.TryParse(domain, out var name, out _) ? await catalog.FindAsync(name, cancellationToken) : null;

    private static ProblemHttpResult UnknownDomain(string domain) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown domain", detail: $"'{domain}' is not a monitored domain (Monitor:Domains or added in the dashboard).");
}
