using System.Diagnostics;
using Npgsql;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.Cluster;

/// <summary>Two service processes on one PostgreSQL database: one schedule, and a take-over when a node is killed.</summary>
public sealed class ClusterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Domain = "cluster.example";

    // Every 10 s on the clock: each audit belongs to one slot, and two audits in one slot would be a check run twice.
    private const string Schedule = "0/10 * * * * ?";
    private static readonly TimeSpan s_slot = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_checkin = TimeSpan.FromSeconds(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-cluster-").FullName;
    private readonly List<ClusterNode> _nodes = [];
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone().Txt(Domain, "v=spf1 -all"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _dns.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Two_nodes_audit_once_per_interval_and_the_survivor_takes_over_after_a_kill()
    {
        var connectionString = postgres.Server.ConnectionString("cluster");
        string[] settings =
        [
            "--environment=Testing",
            "--Storage:Provider=Postgres",
            $"--Storage:ConnectionString={connectionString}",
            $"--Dns:NameServers:0={_dns.Endpoint}",
            "--Dns:UseCache=false",
            $"--Monitor:Domains:0:Name={Domain}",
            "--Monitor:Audit:FirstRunDelay=01:00:00",
            $"--Monitor:Audit:Schedule={Schedule}",
            "--Monitor:Blacklists:FirstRunDelay=01:00:00",
            "--Monitor:Blacklists:Schedule=01:00:00",
            $"--Cluster:CheckinInterval={s_checkin}",
            $"--Cluster:CheckinMisfireThreshold={s_checkin}",
            "--Cluster:IdleWaitTime=00:00:01",
            $"--Secrets:KeysFolder={Path.Combine(_folder, "keys")}",
        ];

        // Started together: the schema lock makes them migrate one after the other.
        _nodes.Add(ClusterNode.Start("node-a", _folder, settings));
        _nodes.Add(ClusterNode.Start("node-b", _folder, settings));
        await Task.WhenAll(_nodes.Select(n => n.WaitUntilHealthyAsync(TimeSpan.FromMinutes(3))));

        var audits = new SortedSet<DateTimeOffset>();
        await ObserveAsync(connectionString, audits, until: () => audits.Count >= 3, TimeSpan.FromMinutes(2));
        AssertOneAuditPerSlot(audits);

        // The node that audited last dies mid-cycle (kill -9, no check-in ever again); the other carries on.
        var runner = _nodes.OrderByDescending(n => n.Printed("Audit cycle:").Last).First();
        var survivor = _nodes.Single(n => n != runner);
        var survivorCyclesBefore = survivor.Printed("Audit cycle:").Count;
        var lastBeforeKill = audits.Max;
        runner.KillHard();
        var killedAt = Stopwatch.StartNew();

        await ObserveAsync(connectionString, audits, until: () => audits.Max > lastBeforeKill && survivor.Printed("Audit cycle:").Count > survivorCyclesBefore, TimeSpan.FromMinutes(2));
        var takeOver = killedAt.Elapsed;

        Assert.False(survivor.HasExited, survivor.Output);
        Assert.True(survivor.Printed("Audit cycle:").Count > survivorCyclesBefore, $"the survivor {survivor.Name} ran no audit after {runner.Name} was killed: {survivor.Output}");
        AssertOneAuditPerSlot(audits);

        // Taken over within one slot plus the check-in interval and threshold (with room for a loaded machine), not lost.
        Assert.True(takeOver < s_slot + (4 * s_checkin) + TimeSpan.FromSeconds(30), $"take-over took {takeOver}");
    }

    /// <summary>Polls the domain's last audit time until <paramref name="until"/> holds; fails after <paramref name="patience"/>.</summary>
    private async Task ObserveAsync(string connectionString, SortedSet<DateTimeOffset> audits, Func<bool> until, TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (!until())
        {
            Assert.True(deadline.Elapsed < patience, $"not reached in {patience}; audits at {string.Join(", ", audits)}. {string.Join(Environment.NewLine, _nodes.Select(n => n.Name + ": " + n.Output))}");
            await using var command = new NpgsqlCommand("SELECT \"CheckedAt\" FROM domain_audits WHERE \"Domain\" = @domain", connection);
            command.Parameters.AddWithValue("domain", Domain);
            if (await command.ExecuteScalarAsync() is DateTime checkedAt)
            {
                audits.Add(new DateTimeOffset(DateTime.SpecifyKind(checkedAt, DateTimeKind.Utc)));
            }

            await Task.Delay(200);
        }
    }

    private static void AssertOneAuditPerSlot(SortedSet<DateTimeOffset> audits)
    {
        var slots = audits.GroupBy(a => a.UtcTicks / s_slot.Ticks).ToList();
        Assert.All(slots, slot => Assert.True(slot.Count() == 1, $"two audits in one {s_slot} slot: {string.Join(", ", slot)}"));
    }
}
