using Deliverability.Testing.Network;
using Deliverability.Testing.Processes;

namespace Deliverability.Testing.Postgres;

/// <summary>
/// A private PostgreSQL cluster (Debian's <c>postgresql</c> package) in a temporary folder, listening on 127.0.0.1 and a
/// free port, trust authentication for user <c>postgres</c>. Run as root, it runs the server as the <c>postgres</c> user.
/// </summary>
public sealed class TestPostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private TestPostgresServer(string folder, string bin, int port, bool asPostgresUser)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>A connection string to <paramref name="database"/> (created by whoever connects first, e.g. EF Core).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public static async Task<TestPostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql");
        }

        var folder = Path.Combine(Path.GetTempPath(), "monitor-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser)
        {
            await Tool.RunAsync("chown", ["postgres:postgres", folder]);
        }

        var server = new TestPostgresServer(folder, bin, FreePort.Tcp(), asPostgresUser);
        await server.RunToolAsync("initdb", ["-D", server.DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        await server.RunToolAsync("pg_ctl", ["-D", server.DataFolder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o",
            $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"]);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private Task RunToolAsync(string tool, string[] args) =>
        _asPostgresUser ? Tool.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : Tool.RunAsync(Path.Combine(_bin, tool), args);
}
