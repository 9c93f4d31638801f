using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Tests.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Parsing;

/// <summary>A fresh database (see <see cref="StoreFixture"/>) with the report importer on it.</summary>
public abstract class DmarcImportFixture : StoreFixture
{
    /// <summary>The samples folder, copied beside the test assembly.</summary>
    public static string SamplesFolder => Path.Combine(AppContext.BaseDirectory, "DmarcReports", "Samples");

    /// <summary>The limits the samples are written against (a smaller per-report bound than the default, so the bombs stay small).</summary>
    public static ReportLimits SampleLimits() => new() { MaxReportBytes = 16L * 1024 * 1024, MaxTotalDecompressedBytes = 64L * 1024 * 1024 };

    protected IReportImporter Importer(ReportLimits? limits = null) =>
        new DmarcReportImporter(Options.Create(limits ?? SampleLimits()), new DmarcAggregateStore(Contexts, Time), new TlsRptStore(Contexts, Time));

    protected async Task<ImportResult> ImportSampleAsync(string relativePath, IReportImporter? importer = null)
    {
        await using var file = File.OpenRead(Path.Combine(SamplesFolder, relativePath));
        return await (importer ?? Importer()).ImportAsync(file, relativePath, CancellationToken.None);
    }

    protected async Task<ImportResult> ImportTextAsync(string xml, IReportImporter? importer = null)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return await (importer ?? Importer()).ImportAsync(stream, "test", CancellationToken.None);
    }
}
