using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>
/// The watched folder, with the real importer: files moved to done/ only after their reports are committed, invalid/ with
/// the reason, unsaved/ after too many failed commits.
/// </summary>
public sealed class ReportFolderTests : IngestFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-dmarc-folder-" + Guid.NewGuid().ToString("N"));

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
        Faults.FailCommit = (_, ids) => ids.Contains("file-2") && Faults.FailedCommits == 0;
        var options = new DmarcIngestOptions { RetryInterval = TimeSpan.FromMinutes(1) };
        var watcher = new ReportFolderWatcher(_folder, options, Importer, Log(), Time, NullLogger.Instance);

        var first = await watcher.ReadOnceAsync(CancellationToken.None);
        var leftAfterFailure = Files("");
        Time.Advance(options.RetryInterval);
        var second = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1, 1), (first.Archived, first.Invalid, first.Failed));
        Assert.Equal(["flaky.eml"], leftAfterFailure);
        Assert.Equal(1, second.Archived);
        Assert.Equal(["flaky.eml", "google.eml"], Files(ReportFolderWatcher.Done));
        Assert.Equal(["broken.xml"], Files(ReportFolderWatcher.InvalidFolder));
        Assert.Equal(["file-1", "file-2"], await StoredReportIdsAsync());
        var invalid = Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Invalid, CancellationToken.None));
        Assert.Equal("broken.xml", invalid.Name);
        Assert.Contains("report_metadata", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_saved_goes_to_unsaved_and_a_same_name_is_never_overwritten()
    {
        Drop("report.eml", ReportMessages.Aggregate("never"));
        Directory.CreateDirectory(Path.Combine(_folder, ReportFolderWatcher.UnsavedFolder));
        await File.WriteAllTextAsync(Path.Combine(_folder, ReportFolderWatcher.UnsavedFolder, "report.eml"), "an earlier one");
        Faults.FailCommit = (_, _) => true;
        var options = new DmarcIngestOptions { MaxSaveAttempts = 1 };
        var watcher = new ReportFolderWatcher(_folder, options, Importer, Log(), Time, NullLogger.Instance);

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Unsaved);
        Assert.Equal(["report.1.eml", "report.eml"], Files(ReportFolderWatcher.UnsavedFolder));
        Assert.Empty(await StoredReportIdsAsync());
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
