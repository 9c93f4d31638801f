using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;
using Deliverability.Core.Blacklists;
using Deliverability.Core.LoadTests;
using Deliverability.Core.Placement;

namespace Deliverability.Core.Metrics;

/// <summary>
/// What the features record, on the <c>Deliverability</c> meter (<see cref="DeliverabilityInstruments"/>). One per
/// service, a singleton; a feature that measures something calls one method here, which never throws and returns at once.
/// Tag values are cut to <see cref="MaxTagLength"/> characters; an empty one is <c>unknown</c>.
/// </summary>
public sealed class DeliverabilityMetrics : IDisposable
{
    public const int MaxTagLength = 64;

    /// <summary>
    /// Bucket bounds in seconds of every duration histogram: a DNS check takes milliseconds, a placement delivery or a
    /// scheduled job minutes. (The exporters' defaults are meant for milliseconds.)
    /// </summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _auditChecks;
    private readonly Histogram<double> _auditCheckDuration;
    private readonly Counter<long> _audits;
    private readonly Histogram<double> _auditDuration;
    private readonly Counter<long> _blacklistResults;
    private readonly Counter<long> _blacklistChanges;
    private readonly Counter<long> _placementSeeds;
    private readonly Histogram<double> _placementDeliveryTime;
    private readonly Counter<long> _placementRuns;
    private readonly Counter<long> _alertTransitions;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _loadTestRuns;
    private readonly Counter<long> _sendEvents;
    private readonly Counter<long> _dmarcReports;
    private readonly Counter<long> _schedulerMisfires;
    private readonly Histogram<double> _schedulerJobDuration;
    private readonly UpDownCounter<long> _schedulerJobsRunning;
    private readonly Counter<long> _influxWritten;
    private readonly Counter<long> _influxDropped;
    private readonly LatestValues _loadTestThroughput = new();
    private readonly LatestValues _loadTestP99 = new();
    private readonly LatestValues _loadTestErrorRate = new();
    private readonly LatestValues _loadTestKnee = new();
    private readonly LatestValues _actualVolume = new();
    private readonly ConcurrentDictionary<string, ForecastPeriod[]> _forecasts = new(StringComparer.Ordinal);
    private Func<long>? _influxBuffered;

    public DeliverabilityMetrics(IMeterFactory meters, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(DeliverabilityInstruments.MeterName);
        _time = time ?? TimeProvider.System;
        _auditChecks = Counter(DeliverabilityInstruments.AuditChecks);
        _auditCheckDuration = Histogram(DeliverabilityInstruments.AuditCheckDuration);
        _audits = Counter(DeliverabilityInstruments.Audits);
        _auditDuration = Histogram(DeliverabilityInstruments.AuditDuration);
        _blacklistResults = Counter(DeliverabilityInstruments.BlacklistResults);
        _blacklistChanges = Counter(DeliverabilityInstruments.BlacklistChanges);
        _placementSeeds = Counter(DeliverabilityInstruments.PlacementSeeds);
        _placementDeliveryTime = Histogram(DeliverabilityInstruments.PlacementDeliveryTime);
        _placementRuns = Counter(DeliverabilityInstruments.PlacementRuns);
        _alertTransitions = Counter(DeliverabilityInstruments.AlertTransitions);
        _notifications = Counter(DeliverabilityInstruments.Notifications);
        _loadTestRuns = Counter(DeliverabilityInstruments.LoadTestRuns);
        _sendEvents = Counter(DeliverabilityInstruments.SendEvents);
        _dmarcReports = Counter(DeliverabilityInstruments.DmarcReports);
        _schedulerMisfires = Counter(DeliverabilityInstruments.SchedulerMisfires);
        _schedulerJobDuration = Histogram(DeliverabilityInstruments.SchedulerJobDuration);
        _schedulerJobsRunning = _meter.CreateUpDownCounter<long>(DeliverabilityInstruments.SchedulerJobsRunning.Name, null, DeliverabilityInstruments.SchedulerJobsRunning.Description);
        _influxWritten = Counter(DeliverabilityInstruments.InfluxWritten);
        _influxDropped = Counter(DeliverabilityInstruments.InfluxDropped);
        Gauge(DeliverabilityInstruments.LoadTestThroughput, () => _loadTestThroughput.Read("scenario"));
        Gauge(DeliverabilityInstruments.LoadTestP99, () => _loadTestP99.Read("scenario"));
        Gauge(DeliverabilityInstruments.LoadTestErrorRate, () => _loadTestErrorRate.Read("scenario"));
        Gauge(DeliverabilityInstruments.LoadTestKnee, () => _loadTestKnee.Read("send_path"));
        Gauge(DeliverabilityInstruments.ForecastVolume, ReadForecasts);
        Gauge(DeliverabilityInstruments.ActualVolume, () => _actualVolume.Read("stream"));
        Gauge(DeliverabilityInstruments.InfluxBuffered, ReadInfluxBuffered);
    }

    /// <summary>The meter, for a listener that must know its instruments from another service's of the same name.</summary>
    public Meter Meter => _meter;

    public void CheckCompleted(string check, CheckStatus status, TimeSpan duration)
    {
        var tags = Tags("check", check, "status", Word(status));
        _auditChecks.Add(1, tags);
        _auditCheckDuration.Record(duration.TotalSeconds, tags);
    }

    public void DomainAudited(CheckStatus status, TimeSpan duration)
    {
        var tags = Tags("status", Word(status));
        _audits.Add(1, tags);
        _auditDuration.Record(duration.TotalSeconds, tags);
    }

    public void BlacklistAnswered(string zone, BlacklistStatus status) =>
        _blacklistResults.Add(1, Tags("zone", zone, "status", status switch
        {
            BlacklistStatus.Listed => "listed",
            BlacklistStatus.NotListed => "not_listed",
            BlacklistStatus.Refused => "refused",
            _ => "error",
        }));

    /// <param name="kind">"listed" or "delisted", as the stored event says.</param>
    public void BlacklistChanged(string zone, string kind) => _blacklistChanges.Add(1, Tags("zone", zone, "kind", kind));

    public void PlacementSeedMeasured(string provider, SeedPlacementStatus placement, TimeSpan? deliveryTime)
    {
        _placementSeeds.Add(1, Tags("provider", provider, "placement", placement.Word()));
        if (deliveryTime is { } time)
        {
            _placementDeliveryTime.Record(time.TotalSeconds, Tags("provider", provider));
        }
    }

    public void PlacementRunEnded(string? sendPath, bool stored) =>
        _placementRuns.Add(1, Tags("send_path", sendPath ?? "default", "outcome", stored ? "stored" : "failed"));

    public void AlertEntered(string alertName, AlertState state) =>
        _alertTransitions.Add(1, Tags("alertname", alertName, "state", state.ToString().ToLowerInvariant()));

    public void NotificationEnded(string receiverType, bool sent) =>
        _notifications.Add(1, Tags("receiver_type", receiverType, "outcome", sent ? "sent" : "failed"));

    /// <summary>A load-test run that ended here or was imported, with its figures when it has a report.</summary>
    /// <param name="throughput">Messages started per second.</param>
    /// <param name="p99Milliseconds">The 99th percentile response time, in milliseconds as the reports store it.</param>
    /// <param name="errorRate">Failed / completed.</param>
    public void LoadTestRunEnded(string kind, string origin, LoadTestRunStatus status, string scenario, double? throughput, double? p99Milliseconds, double? errorRate)
    {
        _loadTestRuns.Add(1, Tags("kind", kind, "origin", origin, "status", status.ToString().ToLowerInvariant()));
        var series = Tag(scenario);
        SetIfFinite(_loadTestThroughput, series, throughput);
        SetIfFinite(_loadTestP99, series, p99Milliseconds / 1000);
        SetIfFinite(_loadTestErrorRate, series, errorRate);
    }

    public void LoadTestKneeFound(string sendPath, double kneeRate) => SetIfFinite(_loadTestKnee, Tag(sendPath), kneeRate);

    /// <summary>A stream's newest forecast: from now on the gauge reports the period that holds the current time.</summary>
    public void VolumeForecast(string stream, IEnumerable<ForecastPeriod> periods) =>
        _forecasts[Tag(stream)] = [.. periods.OrderBy(p => p.Start)];

    /// <summary>The volume of a stream's latest imported period.</summary>
    public void VolumeActual(string stream, double count) => SetIfFinite(_actualVolume, Tag(stream), count);

    /// <summary>Send events stored (delivered, bounced, complained, ...), by the provider that sent them and the recipient's mailbox provider.</summary>
    public void SendEventsStored(string kind, string provider, string mailboxProvider, long count = 1) =>
        _sendEvents.Add(count, Tags("kind", kind, "provider", provider, "mailbox_provider", mailboxProvider));

    public void DmarcReportReceived(DmarcReportOutcome outcome) =>
        _dmarcReports.Add(1, Tags("outcome", outcome.ToString().ToLowerInvariant()));

    public void ScheduledJobMisfired(string job) => _schedulerMisfires.Add(1, Tags("job", job));

    public void ScheduledJobStarted(string job) => _schedulerJobsRunning.Add(1, Tags("job", job));

    public void ScheduledJobEnded(string job, TimeSpan duration, bool succeeded)
    {
        _schedulerJobsRunning.Add(-1, Tags("job", job));
        _schedulerJobDuration.Record(duration.TotalSeconds, Tags("job", job, "outcome", succeeded ? "succeeded" : "failed"));
    }

    public void InfluxPointsWritten(long points) => _influxWritten.Add(points);

    public void InfluxPointsDropped(long points) => _influxDropped.Add(points);

    /// <summary>Where the InfluxDB export's buffer depth is read from (the export sets it when it starts).</summary>
    public void ObserveInfluxBuffer(Func<long> depth) => _influxBuffered = depth;

    public void Dispose() => _meter.Dispose();

    /// <summary>A tag value as recorded: trimmed, at most <see cref="MaxTagLength"/> characters, <c>unknown</c> when empty.</summary>
    public static string Tag(string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "unknown";
        }

        return trimmed.Length <= MaxTagLength ? trimmed : trimmed[..MaxTagLength];
    }

    private static string Word(CheckStatus status) => status.ToString().ToLowerInvariant();

    private static void SetIfFinite(LatestValues values, string series, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            values.Set(series, v);
        }
    }

    private static KeyValuePair<string, object?>[] Tags(params string[] keysAndValues)
    {
        var tags = new KeyValuePair<string, object?>[keysAndValues.Length / 2];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new(keysAndValues[2 * i], Tag(keysAndValues[(2 * i) + 1]));
        }

        return tags;
    }

    private IEnumerable<Measurement<double>> ReadForecasts()
    {
        var now = _time.GetUtcNow();
        foreach (var (stream, periods) in _forecasts)
        {
            if (Covering(periods, now) is not { } period)
            {
                continue;
            }

            yield return new(period.Predicted, new("stream", stream), new("bound", "point"));
            yield return new(period.Lower, new("stream", stream), new("bound", "lower"));
            yield return new(period.Upper, new("stream", stream), new("bound", "upper"));
        }
    }

    // The last period that started by now, if now is still inside it (the step is the spacing of the periods).
    private static ForecastPeriod? Covering(ForecastPeriod[] periods, DateTimeOffset now)
    {
        var index = Array.FindLastIndex(periods, p => p.Start <= now);
        if (index < 0)
        {
            return null;
        }

        var step = periods.Length > 1 ? periods[1].Start - periods[0].Start : TimeSpan.FromHours(1);
        return now < periods[index].Start + step ? periods[index] : null;
    }

    private IEnumerable<Measurement<long>> ReadInfluxBuffered() =>
        _influxBuffered is { } depth ? [new Measurement<long>(depth())] : [];

    private Counter<long> Counter(MetricInstrument instrument) => _meter.CreateCounter<long>(instrument.Name, instrument.Unit, instrument.Description);

    private Histogram<double> Histogram(MetricInstrument instrument) =>
        _meter.CreateHistogram(instrument.Name, instrument.Unit, instrument.Description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private void Gauge(MetricInstrument instrument, Func<IEnumerable<Measurement<double>>> read) =>
        _meter.CreateObservableGauge(instrument.Name, read, instrument.Unit, instrument.Description);

    private void Gauge(MetricInstrument instrument, Func<IEnumerable<Measurement<long>>> read) =>
        _meter.CreateObservableGauge(instrument.Name, read, instrument.Unit, instrument.Description);
}
