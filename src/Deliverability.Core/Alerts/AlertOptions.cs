using Deliverability.Core.DmarcReports.Alerts;
using Deliverability.Core.SendEvents.Alerts;

namespace Deliverability.Core.Alerts;

/// <summary>The alert engine: rules, routing and grouping, inhibitions and maintenance windows. Bound from <c>Monitor:Alerts</c>.</summary>
/// <remarks>Receivers (<c>Monitor:Alerts:Receivers</c>) are the notifiers' own section, bound by them.</remarks>
public sealed class AlertOptions
{
    public const string SectionName = "Monitor:Alerts";

    /// <summary>How often the rules are evaluated and the groups flushed. Default 15 s, so an alert fires within a minute.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The dashboard's base address (<c>https://monitor.example.com</c>), for the links in notifications.</summary>
    public string? ExternalUrl { get; set; }

    /// <summary>How long a resolved alert and its history are kept.</summary>
    public TimeSpan ResolvedRetention { get; set; } = TimeSpan.FromDays(30);

    public AlertRulesOptions Rules { get; set; } = new();

    public AlertRouteOptions Route { get; set; } = new();

    /// <summary>Extra inhibition rules; the built-in one (a listed IP mutes the placement alerts of that IP) is kept unless <see cref="DefaultInhibition"/> is off.</summary>
    public List<InhibitionOptions> Inhibitions { get; set; } = [];

    /// <summary>Whether a firing <c>BlacklistListed</c> alert of an IP mutes the <c>InboxRateLow</c> alerts of the same IP.</summary>
    public bool DefaultInhibition { get; set; } = true;

    public List<MaintenanceWindowOptions> MaintenanceWindows { get; set; } = [];
}

/// <summary>The built-in rules, each with its defaults.</summary>
public sealed class AlertRulesOptions
{
    public CheckStatusRuleOptions CheckStatus { get; set; } = new();

    public RecordDriftRuleOptions RecordDrift { get; set; } = new();

    public StaleDataRuleOptions StaleData { get; set; } = new();

    public BlacklistRuleOptions Blacklisted { get; set; } = new();

    public InboxRateRuleOptions InboxRate { get; set; } = new();

    public CapacityRuleOptions Capacity { get; set; } = new();

    /// <summary><c>SendVolumeLow</c>: a stream sends far less than the same time last week (or its forecast), or nothing.</summary>
    public SendingRuleOptions SendVolume { get; set; } = new();

    /// <summary><c>CriticalMessageFailed</c>: a message tagged critical bounced, was blocked or was marked as spam.</summary>
    public SendingRuleOptions CriticalMessage { get; set; } = new();

    /// <summary><c>SendLatencyHigh</c>: a transactional stream's p95 delivery latency is over its threshold.</summary>
    public SendingRuleOptions SendLatency { get; set; } = new();

    /// <summary><c>SendRateHigh</c>: a bounce, block, deferral or complaint rate at a mailbox provider is over its threshold.</summary>
    public SendingRuleOptions SendRate { get; set; } = new();

    /// <summary><c>ProviderThrottling</c>: replies carry a mailbox provider's known throttling or blocking code.</summary>
    public SendingRuleOptions Throttling { get; set; } = new();

    public DmarcPassRateRuleOptions DmarcPassRate { get; set; } = new();

    public DmarcUnknownSourceRuleOptions DmarcUnknownSource { get; set; } = new();

    public DmarcSendingIpRuleOptions DmarcSendingIp { get; set; } = new();

    public TlsRptFailuresRuleOptions TlsRptFailures { get; set; } = new();
}

/// <summary><c>CheckFailing</c>: a check of a domain is error (severity critical) or warning (severity warning).</summary>
public sealed class CheckStatusRuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How long the bad status must hold before the alert fires (pending until then).</summary>
    public TimeSpan For { get; set; } = TimeSpan.Zero;

    /// <summary>How many consecutive runs of the check must be bad before the alert fires (with <see cref="For"/>, both must hold).</summary>
    public int ForRuns { get; set; } = 1;

    /// <summary>Whether a warning status alerts too (severity <c>warning</c>); errors always do.</summary>
    public bool IncludeWarnings { get; set; } = true;

    /// <summary>Checks that never alert (by name, e.g. <c>bimi</c>).</summary>
    public List<string> ExcludeChecks { get; set; } = [];
}

/// <summary><c>DnsRecordChanged</c>: the records a watched check read differ from those of its previous run.</summary>
public sealed class RecordDriftRuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The checks whose records are watched. Empty: <see cref="DefaultChecks"/> (a list here replaces them; the binder would append to a filled default).</summary>
    public List<string> Checks { get; set; } = [];

    public static IReadOnlyList<string> DefaultChecks { get; } = ["spf", "dkim", "dmarc", "mx"];

    /// <summary>How long the alert stays firing after the change (a change is an event, not a state).</summary>
    public TimeSpan ActiveFor { get; set; } = TimeSpan.FromHours(1);

    public string Severity { get; set; } = "warning";
}

/// <summary><c>CheckStale</c>: a check has not run for <see cref="Factor"/> times the audit schedule.</summary>
public sealed class StaleDataRuleOptions
{
    public bool Enabled { get; set; } = true;

    public double Factor { get; set; } = 3;

    public string Severity { get; set; } = "warning";
}

/// <summary><c>BlacklistListed</c>: an IP or domain is listed on a block list.</summary>
public sealed class BlacklistRuleOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public string Severity { get; set; } = "critical";
}

/// <summary><c>InboxRateLow</c>: the inbox rate measured at a mailbox provider is under <see cref="Threshold"/>.</summary>
public sealed class InboxRateRuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>A share from 0 to 1 (0.8 = 80 % of the seed messages reached the inbox).</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>
    /// Fewer measured seed messages at a provider in the latest run than this say nothing either way. 1 fits one seed
    /// per provider (the usual set-up); with several seeds per provider a higher value keeps one message from alerting.
    /// </summary>
    public int MinMessages { get; set; } = 1;

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public string Severity { get; set; } = "warning";
}

/// <summary>
/// <c>CapacityNotReady</c>: a send path's headroom over the forecast peak is under the safety margin, or its latest load
/// test is missing or older than allowed before a peak (the margin and the age are <c>Monitor:Forecasts</c>'s).
/// </summary>
public sealed class CapacityRuleOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public string Severity { get; set; } = "warning";
}

/// <summary>One node of the route tree (Alertmanager's <c>route</c>); unset values are inherited from the parent.</summary>
public sealed class AlertRouteOptions
{
    /// <summary>Receiver names. Empty on the root: every configured receiver.</summary>
    public List<string> Receivers { get; set; } = [];

    /// <summary>Label matchers (<c>severity=critical</c>, <c>domain=~.*\.example\.com</c>, <c>check!=bimi</c>); all must match. Ignored on the root.</summary>
    public List<string> Matchers { get; set; } = [];

    /// <summary>Labels whose values split alerts into groups; <c>...</c> groups by every label. Root default: <c>alertname</c>.</summary>
    public List<string>? GroupBy { get; set; }

    /// <summary>How long a new group waits for more alerts before its first notification. Root default 30 s.</summary>
    public TimeSpan? GroupWait { get; set; }

    /// <summary>How long after a notification a group waits before notifying its changes. Root default 5 min.</summary>
    public TimeSpan? GroupInterval { get; set; }

    /// <summary>How long after a notification an unchanged firing group is notified again. Root default 4 h.</summary>
    public TimeSpan? RepeatInterval { get; set; }

    /// <summary>Whether resolved alerts are notified. Root default true.</summary>
    public bool? SendResolved { get; set; }

    /// <summary>Whether the siblings after this route are tried when it matched.</summary>
    public bool Continue { get; set; }

    public List<AlertRouteOptions> Routes { get; set; } = [];
}

/// <summary>While an alert matching <see cref="SourceMatchers"/> fires, alerts matching <see cref="TargetMatchers"/> with the same <see cref="Equal"/> labels are muted.</summary>
public sealed class InhibitionOptions
{
    public List<string> SourceMatchers { get; set; } = [];

    public List<string> TargetMatchers { get; set; } = [];

    public List<string> Equal { get; set; } = [];
}

/// <summary>
/// A time when matching alerts are muted: fixed (<see cref="Start"/> to <see cref="End"/>) or weekly (on
/// <see cref="Days"/> from <see cref="StartTime"/> for <see cref="Duration"/>, in <see cref="TimeZone"/>).
/// </summary>
public sealed class MaintenanceWindowOptions
{
    public string Name { get; set; } = "";

    /// <summary>Empty: every alert.</summary>
    public List<string> Matchers { get; set; } = [];

    public DateTimeOffset? Start { get; set; }

    public DateTimeOffset? End { get; set; }

    /// <summary>Days of the week (<c>Sunday</c> ... <c>Saturday</c>); empty with <see cref="StartTime"/> set: every day.</summary>
    public List<string> Days { get; set; } = [];

    /// <summary>Local start time of a weekly window, <c>HH:mm</c>.</summary>
    public string? StartTime { get; set; }

    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An IANA or Windows time zone id; default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";
}
