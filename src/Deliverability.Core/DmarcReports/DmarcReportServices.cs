using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Deliverability.Core.DmarcReports.Storage;

namespace Deliverability.Core.DmarcReports;

public static class DmarcReportServices
{
    /// <summary>
    /// <see cref="IReportImporter"/> and its stores, singletons. Needs a <c>MonitorDbContext</c> factory; uses
    /// <see cref="ReportLimits"/> options (defaults in code; bind <c>Monitor:DmarcReports:Limits</c> to change them).
    /// </summary>
    public static IServiceCollection AddDmarcReportImport(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ReportLimits>();
        services.TryAddSingleton<DmarcAggregateStore>();
        services.TryAddSingleton<TlsRptStore>();
        services.TryAddSingleton<IReportImporter, DmarcReportImporter>();
        return services;
    }
}
