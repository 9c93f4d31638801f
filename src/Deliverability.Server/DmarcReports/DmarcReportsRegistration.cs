using Deliverability.Core.DmarcReports;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.DmarcReports.Alerts;
using Deliverability.Core.DmarcReports.Analysis;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Secrets;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.DmarcReports;

public static class DmarcReportsRegistration
{
    /// <summary>
    /// <c>Monitor:DmarcReports</c> and its <c>Limits</c> (validated at start, <c>protected:</c> passwords decrypted first), the readers of the
    /// report mailboxes and the watched folder (one background loop each), the input log, the analysis and readiness
    /// verdict behind the DMARC page, the domain page and <c>/api/dmarc</c>, and the DMARC alert signals. The importer
    /// (<c>IReportImporter</c>) is the report storage's own registration.
    /// </summary>
    public static WebApplicationBuilder AddDmarcReports(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDmarcReportImport();
        services.AddValidatedOptions<DmarcIngestOptions, DmarcIngestOptionsValidator>(DmarcIngestOptions.SectionName);
        services.AddValidatedOptions<ReportLimits, ReportLimitsValidator>(ReportLimits.SectionName);
        services.AddSingleton<IPostConfigureOptions<DmarcIngestOptions>, RevealMailboxSecrets>();
        services.AddSingleton<ReportInputLog>();
        services.AddSingleton<StoredReports>();
        services.AddSingleton<SourceIdentifier>();
        services.AddSingleton<DmarcAnalyzer>();
        services.AddSingleton<DmarcBoard>();
        services.AddSingleton<IAlertSignalSource, DmarcAlertSignals>();
        services.AddClusterLease(ClusterLeases.DmarcMailboxes, 0x444D415243); // "DMARC" in ASCII
        services.AddHostedService<DmarcIngestService>();
        return builder;
    }

    /// <summary><c>/api/dmarc</c>; the page is routed by the dashboard.</summary>
    public static WebApplication MapDmarcReports(this WebApplication app)
    {
        app.MapDmarcApi();
        return app;
    }

    /// <summary>Leaves a value it cannot decrypt as it is: the validator reports it, naming the key.</summary>
    private sealed class RevealMailboxSecrets(IDataProtectionProvider provider) : IPostConfigureOptions<DmarcIngestOptions>
    {
        public void PostConfigure(string? name, DmarcIngestOptions options) => ProtectedSecret.RevealAll(provider, DmarcIngestSecrets.Of(options));
    }
}

/// <summary>Every problem of the <c>Monitor:DmarcReports</c> section, each naming its key (passwords are never echoed).</summary>
public sealed class DmarcIngestOptionsValidator : IValidateOptions<DmarcIngestOptions>
{
    public ValidateOptionsResult Validate(string? name, DmarcIngestOptions options)
    {
        var problems = DmarcIngestOptionsValidation.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>The bounds of <c>Monitor:DmarcReports:Limits</c>, each problem naming its key.</summary>
public sealed class ReportLimitsValidator : IValidateOptions<ReportLimits>
{
    public ValidateOptionsResult Validate(string? name, ReportLimits options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
