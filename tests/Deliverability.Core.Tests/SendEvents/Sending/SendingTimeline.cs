using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Alerts;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.Tests.Alerts;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>
/// The sending alerts on a fixed timeline: events stored (all at once, each at its own time: the rollups' windows never
/// reach past the clock's minute), rolled up by the processor, and every 15 s the signal source read and the real alert
/// engine evaluated, as the service does.
/// </summary>
internal sealed class SendingTimeline : IAsyncDisposable
{
    private readonly AlertTimeline _alerts;
    private readonly SendingAlertSignals _source;

    private SendingTimeline(AlertTimeline alerts, SendingOptions options, SendEventsOptions streams, ISendVolumeForecasts? forecasts)
    {
        _alerts = alerts;
        Options = options;
        _source = new SendingAlertSignals(new SendRollupReader(alerts.Contexts), new Fixed<SendingOptions>(options), new Fixed<SendEventsOptions>(streams), alerts.Time, forecasts);
    }

    public static DateTimeOffset T0 => AlertTimeline.T0;

    public SendingOptions Options { get; }

    public TimeSpan Elapsed => _alerts.Elapsed;

    public RecordingSender Sender => _alerts.Sender;

    public static async Task<SendingTimeline> StartAsync(Action<SendingOptions>? configure = null, Action<AlertOptions>? alerts = null, ISendVolumeForecasts? forecasts = null)
    {
        var options = new SendingOptions();
        configure?.Invoke(options);
        var streams = new SendEventsOptions
        {
            Streams = [new SendStreamOptions { Name = "transactional", Transactional = true }, new SendStreamOptions { Name = "marketing" }],
        };
        return new SendingTimeline(await AlertTimeline.StartAsync(alerts), options, streams, forecasts);
    }

    /// <summary>Stores the events and rolls them all up.</summary>
    public async Task StoreAsync(IEnumerable<SendEventRow> events)
    {
        await SendEventSamples.StoreAsync(_alerts.Contexts, events);
        var processor = new SendEventProcessor(_alerts.Contexts, new TestMailboxProviders(), _alerts.Time);
        while ((await processor.ProcessBatchAsync(5000)).Events > 0)
        {
        }
    }

    /// <summary>Evaluates every 15 s until <paramref name="elapsed"/> after <see cref="T0"/>.</summary>
    public async Task RunUntilAsync(TimeSpan elapsed)
    {
        while (_alerts.Time.GetUtcNow() < T0 + elapsed)
        {
            _alerts.Time.Advance(TimeSpan.FromSeconds(15));
            _alerts.Signals.Current.Clear();
            _alerts.Signals.Current.AddRange(await _source.GetSignalsAsync(CancellationToken.None));
            await _alerts.Engine.RunOnceAsync();
        }
    }

    /// <summary>Each alert of <paramref name="alertName"/> notified, with the first time it was notified in each status.</summary>
    public IReadOnlyList<(TimeSpan At, NotificationStatus Status, NotifiedAlert Alert)> Notified(string alertName) =>
        [.. Sender.Sent.SelectMany(s => s.Notification.Alerts.Select(a => (s.At, a.Status, Alert: a)))
            .Where(n => n.Alert.Labels[AlertLabels.AlertName] == alertName)
            .GroupBy(n => (n.Alert.Fingerprint, n.Status))
            .Select(g => g.First())
            .OrderBy(n => n.At)];

    public ValueTask DisposeAsync() => _alerts.DisposeAsync();

    private sealed class Fixed<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
