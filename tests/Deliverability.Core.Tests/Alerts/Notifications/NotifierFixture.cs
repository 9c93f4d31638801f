using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Storage;
using Deliverability.Testing.Http;
using Deliverability.Testing.Logging;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>
/// A real HTTP receiver on 127.0.0.1, a private SQLite database for the attempts, captured logs, and senders built the
/// way the service builds them (<see cref="NotifierServices.AddAlertNotifiers"/>). Retries wait milliseconds, not seconds.
/// </summary>
public abstract class NotifierFixture : IAsyncLifetime
{
    protected const string RoutingKey = "R0UT1NGKEY0123456789abcdef0123456";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-notifier-tests-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];

    protected TestHttpReceiver Receiver { get; private set; } = null!;

    protected CapturingLoggerProvider Logs { get; } = new();

    protected IServiceProvider Services { get; private set; } = null!;

    /// <summary>A receiver URL with a secret-looking path, as Slack's and Teams' are.</summary>
    protected string SecretUrl => Receiver.Url("services/T000/B000/S3CR3TT0KEN");

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Receiver = await TestHttpReceiver.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    protected static DeliveryOptions FastRetries => new() { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) };

    protected static ReceiverOptions Webhook(string url, string name = "ops-webhook") => new() { Name = name, Type = "webhook", Url = url, Timeout = TimeSpan.FromSeconds(30) };

    protected ReceiverOptions PagerDuty(string name = "oncall") => new() { Name = name, Type = "pagerduty", Url = Receiver.Url("v2/enqueue"), RoutingKey = RoutingKey, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A sender over these receivers; <paramref name="time"/> drives the waits between attempts.</summary>
    protected async Task<IAlertNotificationSender> SenderAsync(ReceiverOptions[] receivers, DeliveryOptions? delivery = null, TimeProvider? time = null)
    {
        var options = new AlertReceiversOptions { Receivers = [.. receivers], Delivery = delivery ?? FastRetries };
        Assert.Empty(ReceiverOptionsValidation.Validate(options));
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IOptions<AlertReceiversOptions>>(Options.Create(options));
        services.AddSingleton(time ?? TimeProvider.System);
        var database = Path.Combine(_folder, $"attempts-{_providers.Count}.db");
        services.AddDbContextFactory<MonitorDbContext>(o => MonitorDbContext.Configure(o, StorageProvider.Sqlite, $"Data Source={database}"));
        services.AddAlertNotifiers();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        Services = provider;
        await using (var db = await provider.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        return provider.GetRequiredService<IAlertNotificationSender>();
    }

    protected Task<IReadOnlyList<NotificationAttemptRow>> AttemptsAsync(string? receiver = null) =>
        Services.GetRequiredService<NotificationAttemptStore>().GetRecentAsync(receiver, 100);

    protected static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    protected static NotifiedAlert Alert(string domain, NotificationStatus status = NotificationStatus.Firing, string severity = "critical", string alertName = "DkimKeyMissing") => new(
        Fingerprint: $"fp-{domain}-{alertName}",
        Status: status,
        Labels: new Dictionary<string, string> { ["alertname"] = alertName, ["severity"] = severity, ["domain"] = domain, ["check"] = "dkim" },
        Annotations: new Dictionary<string, string>
        {
            ["summary"] = $"DKIM key s1 of {domain} is missing",
            ["description"] = "s1._domainkey has no TXT record.",
            ["fix"] = "Publish the DKIM public key at s1._domainkey.",
            ["dashboard_url"] = $"https://monitor.example.com/domains/{domain}",
        },
        StartsAt: Start,
        EndsAt: status == NotificationStatus.Resolved ? Start.AddMinutes(42) : null,
        GeneratorUrl: $"https://monitor.example.com/domains/{domain}");

    protected static AlertGroupNotification Group(string receiver, NotificationStatus status, params NotifiedAlert[] alerts) => new(
        receiver,
        GroupKey: "{}/{severity=~\"critical|error\"}:{alertname=\"DkimKeyMissing\"}",
        status,
        GroupLabels: new Dictionary<string, string> { ["alertname"] = "DkimKeyMissing" },
        alerts,
        ExternalUrl: "https://monitor.example.com/");
}
