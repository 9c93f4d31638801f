using System.Diagnostics;

namespace Deliverability.Core.Tests.PublicSuffix;

/// <summary>
/// refresh-psl.sh run against a stand-in <c>curl</c> (there is no internet here): it installs a plausible list and
/// never replaces the shipped list with a truncated or error download.
/// </summary>
public sealed class RefreshScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("refresh-psl-").FullName;

    public RefreshScriptTests()
    {
        File.Copy(Path.Combine(RepositoryRoot(), "src", "Deliverability.Core", "PublicSuffix", "refresh-psl.sh"), Path.Combine(_folder, "refresh-psl.sh"));
        File.WriteAllText(Path.Combine(_folder, "public_suffix_list.dat"), "// the current list\ncom\n");
        var bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        // Writes $FAKE_BODY to the file named by --output, as curl would write the download.
        File.WriteAllText(Path.Combine(bin, "curl"), "#!/usr/bin/env bash\nout=\"\"\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --output ]; then out=\"$2\"; shift; fi; shift; done\ncat \"$FAKE_BODY\" > \"$out\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "curl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Valid_download_replaces_the_list()
    {
        var body = "// ===BEGIN ICANN DOMAINS===\n" + string.Join('\n', Enumerable.Range(0, 6000).Select(i => $"x{i}.example"))
            + "\n// ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\ngithub.io\n// ===END PRIVATE DOMAINS===\n";

        var (exitCode, _) = await RunAsync(body);

        Assert.Equal(0, exitCode);
        Assert.Equal(body, await File.ReadAllTextAsync(Path.Combine(_folder, "public_suffix_list.dat")));
        Assert.Equal(["bin", "public_suffix_list.dat", "refresh-psl.sh"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "lacks '===BEGIN ICANN DOMAINS==='")]
    [InlineData("// ===BEGIN ICANN DOMAINS===\ncom\n// ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\n// ===END PRIVATE DOMAINS===\n", "only 1 rules")]
    public async Task Bad_download_keeps_the_current_list(string body, string reason)
    {
        var (exitCode, error) = await RunAsync(body);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(reason, error);
        Assert.Equal("// the current list\ncom\n", await File.ReadAllTextAsync(Path.Combine(_folder, "public_suffix_list.dat")));
        Assert.Equal(["bin", "public_suffix_list.dat", "refresh-psl.sh"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    private async Task<(int ExitCode, string Error)> RunAsync(string body)
    {
        var bodyFile = Path.Combine(Path.GetTempPath(), $"psl-body-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(bodyFile, body);
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(_folder, "refresh-psl.sh")]) { RedirectStandardError = true, RedirectStandardOutput = true };
            start.Environment["PATH"] = $"{Path.Combine(_folder, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
            start.Environment["FAKE_BODY"] = bodyFile;
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await error);
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Monitor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above the test output folder.");
    }
}
