using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;
using Deliverability.Testing.Logging;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>
/// The alert engine on a fixed timeline (a <see cref="FakeTimeProvider"/>), over a real database: a test stores audit
/// results and signals at set times, evaluates as the service does every 15 s, and asserts what the receivers got and when.
/// </summary>
public sealed class AlertTimeline : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly string? _folder;
    private readonly LoggerFactory _loggers;
    private ServiceProvider _services;

    private AlertTimeline(StorageProvider provider, string connectionString, string? folder, AlertOptions options, string[] receivers)
    {
        _folder = folder;
        _loggers = new LoggerFactory([Logs]);
        Options = options;
        Sender = new RecordingSender(Time, receivers);
        var dbOptions = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), provider, connectionString).Options;
        Contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)dbOptions);
        Results = new AuditResultStore(Contexts, Time);
        Store = new AlertStore(Contexts, Time);
        Rules = new EffectiveAlertRules(Microsoft.Extensions.Options.Options.Create(Options), Contexts, Time);
        _services = NewServices();
    }

    public FakeTimeProvider Time { get; } = new(T0);

    public AlertOptions Options { get; }

    public RecordingSender Sender { get; }

    public TestSignals Signals { get; } = new();

    public LiveFeed<AlertChanged> Feed { get; } = new();

    /// <summary>What the engines logged, every level.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public IDbContextFactory<MonitorDbContext> Contexts { get; }

    public AuditResultStore Results { get; }

    public AlertStore Store { get; }

    /// <summary>The rules in force, as the dashboard changes them (configuration = <see cref="Options"/>).</summary>
    public EffectiveAlertRules Rules { get; }

    public AlertEngine Engine => _services.GetRequiredService<AlertEngine>();

    /// <summary>Acknowledgements on the same state as <see cref="Engine"/>.</summary>
    public AlertAcknowledgements Acknowledgements => _services.GetRequiredService<AlertAcknowledgements>();

    /// <summary>Silences on the same state as <see cref="Engine"/>.</summary>
    public AlertSilences Silences => _services.GetRequiredService<AlertSilences>();

    /// <summary>The audit interval the stale-data rule sees; none by default (a test stores results only when it wants to). Set, then <see cref="Restart"/>.</summary>
    public TimeSpan? AuditInterval { get; set; }

    /// <summary>Elapsed time since <see cref="T0"/>.</summary>
    public TimeSpan Elapsed => Time.GetUtcNow() - T0;

    public static Task<AlertTimeline> StartAsync(Action<AlertOptions>? configure = null, params string[] receivers) =>
        StartAsync(StorageProvider.Sqlite, null, configure, receivers);

    public static async Task<AlertTimeline> StartAsync(StorageProvider provider, string? connectionString, Action<AlertOptions>? configure, params string[] receivers)
    {
        string? folder = null;
        if (connectionString is null)
        {
            folder = Path.Combine(Path.GetTempPath(), "monitor-alert-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            connectionString = $"Data Source={Path.Combine(folder, "monitor.db")}";
        }

        var options = new AlertOptions();
        configure?.Invoke(options);
        var timeline = new AlertTimeline(provider, connectionString, folder, options, receivers.Length == 0 ? ["oncall"] : receivers);
        await using (var db = await timeline.Contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        return timeline;
    }

    /// <summary>A new engine on the same database, as after a restart of the service.</summary>
    public void Restart()
    {
        _services.Dispose();
        _services = NewServices();
    }

    /// <summary>Stores one audit of <paramref name="domain"/> made now.</summary>
    public Task AuditAsync(string domain, params (string Check, CheckStatus Status)[] checks) =>
        AuditAsync(domain, checks.Select(c => Result(c.Check, c.Status)).ToArray());

    public async Task AuditAsync(string domain, params CheckResult[] results) =>
        await Results.SaveAsync(new DomainAuditReport(domain, Time.GetUtcNow(), DomainAuditor.OverallStatus(results), results));

    public static CheckResult Result(string check, CheckStatus status, params string[] records) => new(check, status, status switch
    {
        CheckStatus.Error => [Finding.Error($"{check}.broken", $"The {check} record is broken.", $"Publish a valid {check} record.")],
        CheckStatus.Warning => [Finding.Warning($"{check}.weak", $"The {check} record is weak.", $"Strengthen the {check} record.")],
        CheckStatus.Unknown => [Finding.Warning($"{check}.temperror", "DNS did not answer.", "Retry later.")],
        _ => [],
    }, records.Length == 0 ? [$"{check} record"] : records);

    /// <summary>One evaluation now.</summary>
    public Task<AlertCycleOutcome> EvaluateAsync() => Engine.RunOnceAsync();

    /// <summary>Evaluates every 15 s (the default interval) until <paramref name="elapsed"/> after <see cref="T0"/>, the last one at it.</summary>
    public async Task RunUntilAsync(TimeSpan elapsed)
    {
        var until = T0 + elapsed;
        while (Time.GetUtcNow() < until)
        {
            var step = Options.EvaluationInterval;
            var next = Time.GetUtcNow() + step;
            Time.SetUtcNow(next > until ? until : next);
            await Engine.RunOnceAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _loggers.Dispose();
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The engine as the service registers it, on this timeline's database, clock, sender and signals.</summary>
    private ServiceProvider NewServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Contexts);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        services.AddSingleton<IAlertNotificationSender>(Sender);
        services.AddSingleton<IAlertSignalSource>(Signals);
        services.AddSingleton(Feed);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new AuditCadence(AuditInterval));
        services.AddSingleton(Rules);
        services.AddSingleton<ILoggerFactory>(_loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddAlertEngine();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}

/// <summary>Records every notification with the (fake) time it was sent; can be told to fail.</summary>
public sealed class RecordingSender(TimeProvider time, IReadOnlyCollection<string> receivers) : IAlertNotificationSender
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan At, AlertGroupNotification Notification)> _sent = [];

    public IReadOnlyCollection<string> Receivers { get; } = receivers;

    /// <summary>While true, every send fails (as a receiver that is down).</summary>
    public bool Failing { get; set; }

    /// <summary>While true, every send reaches the receiver and then the service dies (as a kill -9 during the call): the engine never hears back.</summary>
    public bool CrashAfterSend { get; set; }

    public IReadOnlyList<(TimeSpan At, AlertGroupNotification Notification)> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent.OrderBy(s => s.At).ThenBy(s => s.Notification.Receiver, StringComparer.Ordinal).ThenBy(s => s.Notification.GroupKey, StringComparer.Ordinal)];
            }
        }
    }

    public int Attempts { get; private set; }

    public IReadOnlyList<(TimeSpan At, AlertGroupNotification Notification)> To(string receiver) => Sent.Where(s => s.Notification.Receiver == receiver).ToArray();

    /// <summary>Each notification as (elapsed since T0, status, sorted "alertname/subject:status" of its alerts).</summary>
    public IReadOnlyList<(TimeSpan At, NotificationStatus Status, string Alerts)> Summary() =>
        Sent.Select(s => (s.At, s.Notification.Status, string.Join(" ", s.Notification.Alerts.Select(Describe).Order(StringComparer.Ordinal)))).ToArray();

    public Task<NotificationOutcome> SendAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Attempts++;
            if (Failing)
            {
                return Task.FromResult(new NotificationOutcome(notification.Receiver, false, 3, "503 Service Unavailable"));
            }

            _sent.Add((time.GetUtcNow() - AlertTimeline.T0, notification));
            if (CrashAfterSend)
            {
                throw new OperationCanceledException("the service stopped while the receiver was being called");
            }
        }

        return Task.FromResult(new NotificationOutcome(notification.Receiver, true, 1, null));
    }

    private static string Describe(NotifiedAlert alert)
    {
        var subject = alert.Labels.GetValueOrDefault(AlertLabels.Ip) ?? alert.Labels.GetValueOrDefault(AlertLabels.Domain) ?? alert.Labels.GetValueOrDefault(AlertLabels.Provider) ?? "";
        var check = alert.Labels.TryGetValue(AlertLabels.Check, out var c) ? "/" + c : "";
        return $"{subject}{check}:{alert.Status.ToString().ToLowerInvariant()}";
    }
}

/// <summary>Blacklist listings and inbox rates as the other features will report them.</summary>
public sealed class TestSignals : IAlertSignalSource
{
    public List<AlertSignal> Current { get; } = [];

    /// <summary>While true, the source throws (its feature's database unreachable).</summary>
    public bool Failing { get; set; }

    public Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken) =>
        Failing ? throw new InvalidOperationException("blacklist store unavailable") : Task.FromResult<IReadOnlyList<AlertSignal>>([.. Current]);
}
