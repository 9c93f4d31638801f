namespace Deliverability.Core.Metrics;

/// <summary>
/// Every instrument of the <c>Deliverability</c> meter, in one place: what the service measures, for OpenTelemetry
/// (Prometheus at <c>/metrics</c>) and for the InfluxDB export. docs/metrics.md lists them; the Grafana dashboards may
/// only query these (DashboardTests).
/// </summary>
/// <remarks>
/// Tags hold names from configuration (checks, zones, providers, send paths, streams, scenarios, jobs) and fixed
/// words (statuses), never a domain, an address or a message id: every series stays few enough to keep for a year.
/// </remarks>
public static class DeliverabilityInstruments
{
    /// <summary>The meter's name, for <c>AddMeter</c> and listeners.</summary>
    public const string MeterName = "Deliverability";

    public static readonly MetricInstrument AuditChecks = Counter(
        "deliverability.audit.checks", "Checks run on monitored domains (SPF, DKIM, DMARC, ...), by check and status (ok, warning, error, unknown).", "check", "status");

    public static readonly MetricInstrument AuditCheckDuration = Histogram(
        "deliverability.audit.check.duration", "How long one check of one domain took, by check and status.", "check", "status");

    public static readonly MetricInstrument Audits = Counter(
        "deliverability.audits", "Domains audited, by overall status.", "status");

    public static readonly MetricInstrument AuditDuration = Histogram(
        "deliverability.audit.duration", "How long the audit of one domain took (all its checks), by overall status.", "status");

    public static readonly MetricInstrument BlacklistResults = Counter(
        "deliverability.blacklist.results", "Blacklist answers, by zone and status (listed, not_listed, refused, error).", "zone", "status");

    public static readonly MetricInstrument BlacklistChanges = Counter(
        "deliverability.blacklist.changes", "Listings and delistings stored, by zone and kind (listed, delisted).", "zone", "kind");

    public static readonly MetricInstrument PlacementSeeds = Counter(
        "deliverability.placement.seeds", "Seed results of placement runs, by provider and placement (inbox, spam, other, missing, error).", "provider", "placement");

    public static readonly MetricInstrument PlacementDeliveryTime = Histogram(
        "deliverability.placement.delivery.time", "From the end of the submission to the receiver filing the test message, by provider.", "provider");

    public static readonly MetricInstrument PlacementRuns = Counter(
        "deliverability.placement.runs", "Placement runs, by send path and outcome (stored, failed).", "send_path", "outcome");

    public static readonly MetricInstrument AlertTransitions = Counter(
        "deliverability.alerts.transitions", "Alert state changes, by alert name and the state entered (pending, firing, resolved).", "alertname", "state");

    public static readonly MetricInstrument Notifications = Counter(
        "deliverability.alerts.notifications", "Alert notifications, by receiver type and outcome (sent, failed).", "receiver_type", "outcome");

    public static readonly MetricInstrument LoadTestRuns = Counter(
        "deliverability.loadtest.runs", "Load-test runs ended or imported, by kind (smtp, http), origin (service, import) and status.", "kind", "origin", "status");

    public static readonly MetricInstrument LoadTestThroughput = Gauge(
        "deliverability.loadtest.throughput", "Messages started per second in the latest finished or imported run of each scenario.", null, "scenario");

    public static readonly MetricInstrument LoadTestP99 = Gauge(
        "deliverability.loadtest.latency.p99", "The 99th percentile response time of the latest run of each scenario.", "s", "scenario");

    public static readonly MetricInstrument LoadTestErrorRate = Gauge(
        "deliverability.loadtest.error.rate", "Failed / completed in the latest run of each scenario.", null, "scenario");

    public static readonly MetricInstrument LoadTestKnee = Gauge(
        "deliverability.loadtest.knee", "The highest rate per second that held the thresholds, from the latest capacity run of each send path.", null, "send_path");

    public static readonly MetricInstrument ForecastVolume = Gauge(
        "deliverability.volume.forecast", "The latest forecast's volume for the period now (point forecast and interval bounds), by stream.", null, "stream", "bound");

    public static readonly MetricInstrument ActualVolume = Gauge(
        "deliverability.volume.actual", "The volume of the latest period of each stream's imported history.", null, "stream");

    public static readonly MetricInstrument SendEvents = Counter(
        "deliverability.send.events", "Send events stored, by kind (delivered, bounced, ...), sending provider and mailbox provider.", "kind", "provider", "mailbox_provider");

    public static readonly MetricInstrument DmarcReports = Counter(
        "deliverability.dmarc.reports", "DMARC aggregate reports received, by outcome (imported, duplicate, invalid).", "outcome");

    public static readonly MetricInstrument SchedulerMisfires = Counter(
        "deliverability.scheduler.misfires", "Scheduled runs that missed their time (the scheduler was busy or down), by job.", "job");

    public static readonly MetricInstrument SchedulerJobDuration = Histogram(
        "deliverability.scheduler.job.duration", "How long a scheduled job ran, by job and outcome (succeeded, failed).", "job", "outcome");

    public static readonly MetricInstrument SchedulerJobsRunning = UpDown(
        "deliverability.scheduler.jobs.running", "Scheduled jobs running now on this node, by job.", "job");

    public static readonly MetricInstrument InfluxBuffered = Gauge(
        "deliverability.export.influx.buffered", "Points waiting in the InfluxDB export's buffer.", null);

    public static readonly MetricInstrument InfluxWritten = Counter(
        "deliverability.export.influx.written", "Points written to InfluxDB.");

    public static readonly MetricInstrument InfluxDropped = Counter(
        "deliverability.export.influx.dropped", "Points dropped, oldest first, because the buffer was full while InfluxDB could not be reached.");

    /// <summary>Every instrument, in the order of docs/metrics.md.</summary>
    public static IReadOnlyList<MetricInstrument> All { get; } =
    [
        AuditChecks, AuditCheckDuration, Audits, AuditDuration,
        BlacklistResults, BlacklistChanges,
        PlacementSeeds, PlacementDeliveryTime, PlacementRuns,
        AlertTransitions, Notifications,
        LoadTestRuns, LoadTestThroughput, LoadTestP99, LoadTestErrorRate, LoadTestKnee,
        ForecastVolume, ActualVolume,
        SendEvents, DmarcReports,
        SchedulerMisfires, SchedulerJobDuration, SchedulerJobsRunning,
        InfluxBuffered, InfluxWritten, InfluxDropped,
    ];

    private static MetricInstrument Counter(string name, string description, params string[] tags) => new(name, MetricKind.Counter, null, description, tags);

    private static MetricInstrument UpDown(string name, string description, params string[] tags) => new(name, MetricKind.UpDownCounter, null, description, tags);

    private static MetricInstrument Histogram(string name, string description, params string[] tags) => new(name, MetricKind.Histogram, "s", description, tags);

    private static MetricInstrument Gauge(string name, string description, string? unit, params string[] tags) => new(name, MetricKind.Gauge, unit, description, tags);
}
