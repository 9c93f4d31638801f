using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>The watched folder: files moved to done/ only after their import returned, invalid/ with the reason, unsaved/ after too many failures.</summary>
public sealed class ReportFolderTests : StoreFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-dmarc-folder-" + Guid.NewGuid().ToString("N"));
    private readonly StandInReportImporter _importer = new();

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;

    public override async Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Files_go_to_done_or_invalid_and_a_failed_save_stays_until_it_is_retried()
    {
        Drop("google.eml", ReportMessages.Aggregate("file-1"));
        Drop("broken.xml", "<feedback><report_metadata>"u8.ToArray());
        Drop("flaky.eml", ReportMessages.Aggregate("file-2"));
        _importer.Fail = (call, id) => id == "file-2" && call <= 3;
        var options = new DmarcIngestOptions { RetryInterval = TimeSpan.FromMinutes(1) };
        var watcher = new ReportFolderWatcher(_folder, options, _importer, new ReportInputLog(Contexts, Time), Time, NullLogger.Instance);

        var first = await watcher.ReadOnceAsync(CancellationToken.None);
        var leftAfterFailure = Files("");
        Time.Advance(options.RetryInterval);
        var second = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1, 1), (first.Archived, first.Invalid, first.Failed));
        Assert.Equal(["flaky.eml"], leftAfterFailure);
        Assert.Equal(1, second.Archived);
        Assert.Equal(["flaky.eml", "google.eml"], Files(ReportFolderWatcher.Done));
        Assert.Equal(["broken.xml"], Files(ReportFolderWatcher.InvalidFolder));
        var invalid = Assert.Single(await new ReportInputLog(Contexts, Time).LatestAsync(10, ReportInputOutcome.Invalid, CancellationToken.None));
        Assert.Equal(("broken.xml", "no DMARC or TLS-RPT report found in the input"), (invalid.Name, invalid.Reason));
    }

    [Fact]
    public async Task A_file_that_cannot_be_saved_goes_to_unsaved_and_a_same_name_is_never_overwritten()
    {
        Drop("report.eml", ReportMessages.Aggregate("never"));
        Directory.CreateDirectory(Path.Combine(_folder, ReportFolderWatcher.UnsavedFolder));
        await File.WriteAllTextAsync(Path.Combine(_folder, ReportFolderWatcher.UnsavedFolder, "report.eml"), "an earlier one");
        _importer.Fail = (_, _) => true;
        var options = new DmarcIngestOptions { MaxSaveAttempts = 1 };
        var watcher = new ReportFolderWatcher(_folder, options, _importer, new ReportInputLog(Contexts, Time), Time, NullLogger.Instance);

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Unsaved);
        Assert.Equal(["report.1.eml", "report.eml"], Files(ReportFolderWatcher.UnsavedFolder));
    }

    private void Drop(string name, byte[] content)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        // Written a while ago: not a file still being copied in.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
    }

    private string[] Files(string subfolder) =>
        [.. Directory.GetFiles(Path.Combine(_folder, subfolder)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
