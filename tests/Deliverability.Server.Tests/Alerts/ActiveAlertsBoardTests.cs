using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Alerts;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;
using Deliverability.Server.Alerts;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>The Overview's active alerts: one read shared by every open dashboard, read again after an announced change.</summary>
public sealed class ActiveAlertsBoardTests : IAsyncLifetime, IDisposable
{
    private TemporarySqliteDatabase _database = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly LiveFeed<AlertChanged> _changes = new();
    private IDbContextFactory<MonitorDbContext> _contexts = null!;
    private ActiveAlertsBoard _board = null!;

    public async Task InitializeAsync()
    {
        _database = await TemporarySqliteDatabase.CreateAsync();
        _contexts = _database.Contexts;

        _board = new ActiveAlertsBoard(new AlertStore(_contexts, _time), _changes, _time);
        await StoreAsync(Enumerable.Range(0, 12).Select(i => $"a{i:00}"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _board.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Lists_the_first_ten_most_recent_and_counts_them_all()
    {
        var active = await _board.GetAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(2, 10).Reverse().Select(i => $"a{i:00}"), active.First.Select(a => a.Fingerprint));
        Assert.Equal(12, active.Count);
    }

    [Fact]
    public async Task The_same_read_is_shared_until_a_change_is_announced_or_it_is_older_than_its_maximum_age()
    {
        var first = await _board.GetAsync(CancellationToken.None);
        await StoreAsync(["b00"]);
        Assert.Same(first, await _board.GetAsync(CancellationToken.None)); // stored, not announced

        _changes.Publish(new AlertChanged("b00", "CheckFailing", null, AlertState.Firing, new Dictionary<string, string>(), _time.GetUtcNow(), null, false));
        var announced = await _board.GetAsync(CancellationToken.None);
        Assert.Equal((13, "b00"), (announced.Count, announced.First[0].Fingerprint));

        await StoreAsync(["c00"]);
        _time.Advance(ActiveAlertsBoard.MaxAge);
        Assert.Equal(14, (await _board.GetAsync(CancellationToken.None)).Count);
    }

    /// <summary>Firing alerts, each changed a second after the one before.</summary>
    private async Task StoreAsync(IEnumerable<string> fingerprints)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        foreach (var fingerprint in fingerprints)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            db.Set<AlertRow>().Add(new AlertRow
            {
                Fingerprint = fingerprint,
                AlertName = "CheckFailing",
                State = AlertState.Firing,
                Severity = "critical",
                LabelsJson = "{}",
                AnnotationsJson = "{}",
                ActiveSince = _time.GetUtcNow(),
                StartsAt = _time.GetUtcNow(),
                UpdatedAt = _time.GetUtcNow(),
            });
        }

        await db.SaveChangesAsync();
    }
}
