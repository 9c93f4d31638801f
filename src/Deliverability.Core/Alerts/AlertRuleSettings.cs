using System.Globalization;

namespace Deliverability.Core.Alerts;

/// <summary>How a rule setting is typed in the dashboard.</summary>
public enum AlertRuleSettingKind
{
    /// <summary>On or off (<c>true</c>/<c>false</c>).</summary>
    Switch,

    /// <summary>A duration, <c>hh:mm:ss</c> or <c>d.hh:mm:ss</c>.</summary>
    Duration,

    /// <summary>A whole number.</summary>
    Count,

    /// <summary>A decimal number (<c>0.8</c>).</summary>
    Number,

    /// <summary>A lower-case word (<c>critical</c>, <c>warning</c>, <c>info</c>).</summary>
    Severity,
}

/// <summary>
/// One setting of a built-in rule the dashboard can change, named by its key under <c>Monitor:Alerts:Rules</c>
/// (<c>InboxRate:Threshold</c>). Values travel as invariant text, as they are stored.
/// </summary>
public sealed class AlertRuleSetting(string section, string name, string label, AlertRuleSettingKind kind, Func<AlertRulesOptions, object> read, Action<AlertRulesOptions, object> write)
{
    /// <summary>The rule's section (<c>CheckStatus</c>, <c>RecordDrift</c>, <c>StaleData</c>, <c>Blacklisted</c>, <c>InboxRate</c>, <c>Capacity</c>).</summary>
    public string Section { get; } = section;

    public string Name { get; } = name;

    public string Key => $"{Section}:{Name}";

    public string Label { get; } = label;

    public AlertRuleSettingKind Kind { get; } = kind;

    public string Read(AlertRulesOptions rules) => Format(read(rules));

    /// <summary>Sets the value typed as <paramref name="text"/>; false with a message naming it when it is not of the setting's kind.</summary>
    public bool TryWrite(AlertRulesOptions rules, string? text, out string error)
    {
        error = "";
        var value = (text ?? "").Trim();
        object? parsed = Kind switch
        {
            AlertRuleSettingKind.Switch => bool.TryParse(value, out var b) ? b : null,
            AlertRuleSettingKind.Duration => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) ? t : null,
            AlertRuleSettingKind.Count => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            AlertRuleSettingKind.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
            _ => value,
        };
        if (parsed is null)
        {
            error = Kind switch
            {
                AlertRuleSettingKind.Switch => $"'{value}' is not true or false",
                AlertRuleSettingKind.Duration => $"'{value}' is not a duration (hh:mm:ss, e.g. 00:05:00)",
                AlertRuleSettingKind.Count => $"'{value}' is not a whole number",
                _ => $"'{value}' is not a number (with a dot, e.g. 0.8)",
            };
            return false;
        }

        write(rules, parsed);
        return true;
    }

    private static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>The settings of the built-in rules the dashboard can change (the lists, <c>ExcludeChecks</c> and <c>RecordDrift:Checks</c>, stay in configuration).</summary>
public static class AlertRuleSettings
{
    /// <summary>Each rule section with the alert name it raises, in the order the dashboard shows them.</summary>
    public static IReadOnlyList<(string Section, string AlertName, string Description)> Rules { get; } =
    [
        ("CheckStatus", "CheckFailing", "A check of a domain is error (critical) or warning (warning)."),
        ("RecordDrift", "DnsRecordChanged", "The records a watched check read (SPF, DKIM, DMARC, MX) changed."),
        ("StaleData", "CheckStale", "A check has not run for Factor times the audit interval."),
        ("Blacklisted", "BlacklistListed", "An IP or domain is listed on a block list."),
        ("InboxRate", "InboxRateLow", "The inbox rate at a mailbox provider is under the threshold."),
        ("Capacity", "CapacityNotReady", "A send path's headroom over the forecast peak is under the margin, or its load test is missing or too old."),
        ("SendVolume", "SendVolumeLow", "A stream sends far less than the same time last week (or its forecast), or nothing."),
        ("CriticalMessage", "CriticalMessageFailed", "A message tagged critical bounced, was blocked or was marked as spam."),
        ("SendLatency", "SendLatencyHigh", "A transactional stream's p95 delivery latency is over its threshold (Monitor:Sending)."),
        ("SendRate", "SendRateHigh", "A bounce, block, deferral or complaint rate at a mailbox provider is over its threshold (Monitor:Sending)."),
        ("Throttling", "ProviderThrottling", "Replies carry a mailbox provider's known throttling or blocking code."),
        ("DmarcPassRate", "DmarcPassRateLow", "A domain's reported mail passes DMARC under the threshold."),
        ("DmarcUnknownSource", "DmarcUnknownSource", "A new source that is not the domain's sends more than N failing messages as it."),
        ("DmarcSendingIp", "DmarcSendingIpUnaligned", "A configured sending IP fails SPF or DKIM alignment over the allowed share."),
        ("TlsRptFailures", "TlsRptFailures", "Receivers report failed TLS sessions to a domain's MX over the threshold."),
    ];

    public static IReadOnlyList<AlertRuleSetting> All { get; } =
    [
        new("CheckStatus", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.CheckStatus.Enabled, (r, v) => r.CheckStatus.Enabled = (bool)v),
        new("CheckStatus", "For", "For (how long the bad status must hold)", AlertRuleSettingKind.Duration, r => r.CheckStatus.For, (r, v) => r.CheckStatus.For = (TimeSpan)v),
        new("CheckStatus", "ForRuns", "For runs (consecutive bad runs)", AlertRuleSettingKind.Count, r => r.CheckStatus.ForRuns, (r, v) => r.CheckStatus.ForRuns = (int)v),
        new("CheckStatus", "IncludeWarnings", "Alert on warnings too", AlertRuleSettingKind.Switch, r => r.CheckStatus.IncludeWarnings, (r, v) => r.CheckStatus.IncludeWarnings = (bool)v),
        new("RecordDrift", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.RecordDrift.Enabled, (r, v) => r.RecordDrift.Enabled = (bool)v),
        new("RecordDrift", "ActiveFor", "Firing for (after the change)", AlertRuleSettingKind.Duration, r => r.RecordDrift.ActiveFor, (r, v) => r.RecordDrift.ActiveFor = (TimeSpan)v),
        new("RecordDrift", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.RecordDrift.Severity, (r, v) => r.RecordDrift.Severity = (string)v),
        new("StaleData", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.StaleData.Enabled, (r, v) => r.StaleData.Enabled = (bool)v),
        new("StaleData", "Factor", "Factor (audit intervals without a run)", AlertRuleSettingKind.Number, r => r.StaleData.Factor, (r, v) => r.StaleData.Factor = (double)v),
        new("StaleData", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.StaleData.Severity, (r, v) => r.StaleData.Severity = (string)v),
        new("Blacklisted", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.Blacklisted.Enabled, (r, v) => r.Blacklisted.Enabled = (bool)v),
        new("Blacklisted", "For", "For (how long the listing must hold)", AlertRuleSettingKind.Duration, r => r.Blacklisted.For, (r, v) => r.Blacklisted.For = (TimeSpan)v),
        new("Blacklisted", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.Blacklisted.Severity, (r, v) => r.Blacklisted.Severity = (string)v),
        new("InboxRate", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.InboxRate.Enabled, (r, v) => r.InboxRate.Enabled = (bool)v),
        new("InboxRate", "Threshold", "Threshold (share, 0.8 = 80 %)", AlertRuleSettingKind.Number, r => r.InboxRate.Threshold, (r, v) => r.InboxRate.Threshold = (double)v),
        new("InboxRate", "MinMessages", "Minimum seed messages", AlertRuleSettingKind.Count, r => r.InboxRate.MinMessages, (r, v) => r.InboxRate.MinMessages = (int)v),
        new("InboxRate", "For", "For (how long the rate must stay low)", AlertRuleSettingKind.Duration, r => r.InboxRate.For, (r, v) => r.InboxRate.For = (TimeSpan)v),
        new("InboxRate", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.InboxRate.Severity, (r, v) => r.InboxRate.Severity = (string)v),
        new("Capacity", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.Capacity.Enabled, (r, v) => r.Capacity.Enabled = (bool)v),
        new("Capacity", "For", "For (how long the send path must stay not ready)", AlertRuleSettingKind.Duration, r => r.Capacity.For, (r, v) => r.Capacity.For = (TimeSpan)v),
        new("Capacity", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.Capacity.Severity, (r, v) => r.Capacity.Severity = (string)v),
        new("SendVolume", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.SendVolume.Enabled, (r, v) => r.SendVolume.Enabled = (bool)v),
        new("SendVolume", "For", "For (how long the condition must hold)", AlertRuleSettingKind.Duration, r => r.SendVolume.For, (r, v) => r.SendVolume.For = (TimeSpan)v),
        new("CriticalMessage", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.CriticalMessage.Enabled, (r, v) => r.CriticalMessage.Enabled = (bool)v),
        new("CriticalMessage", "For", "For (how long the condition must hold)", AlertRuleSettingKind.Duration, r => r.CriticalMessage.For, (r, v) => r.CriticalMessage.For = (TimeSpan)v),
        new("SendLatency", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.SendLatency.Enabled, (r, v) => r.SendLatency.Enabled = (bool)v),
        new("SendLatency", "For", "For (how long the condition must hold)", AlertRuleSettingKind.Duration, r => r.SendLatency.For, (r, v) => r.SendLatency.For = (TimeSpan)v),
        new("SendRate", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.SendRate.Enabled, (r, v) => r.SendRate.Enabled = (bool)v),
        new("SendRate", "For", "For (how long the condition must hold)", AlertRuleSettingKind.Duration, r => r.SendRate.For, (r, v) => r.SendRate.For = (TimeSpan)v),
        new("Throttling", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.Throttling.Enabled, (r, v) => r.Throttling.Enabled = (bool)v),
        new("Throttling", "For", "For (how long the condition must hold)", AlertRuleSettingKind.Duration, r => r.Throttling.For, (r, v) => r.Throttling.For = (TimeSpan)v),
        new("DmarcPassRate", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.DmarcPassRate.Enabled, (r, v) => r.DmarcPassRate.Enabled = (bool)v),
        new("DmarcPassRate", "Threshold", "Threshold (share, 0.9 = 90 %)", AlertRuleSettingKind.Number, r => r.DmarcPassRate.Threshold, (r, v) => r.DmarcPassRate.Threshold = (double)v),
        new("DmarcPassRate", "MinMessages", "Minimum reported messages", AlertRuleSettingKind.Count, r => (int)Math.Min(r.DmarcPassRate.MinMessages, int.MaxValue), (r, v) => r.DmarcPassRate.MinMessages = (int)v),
        new("DmarcPassRate", "For", "For (how long the rate must stay low)", AlertRuleSettingKind.Duration, r => r.DmarcPassRate.For, (r, v) => r.DmarcPassRate.For = (TimeSpan)v),
        new("DmarcPassRate", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.DmarcPassRate.Severity, (r, v) => r.DmarcPassRate.Severity = (string)v),
        new("DmarcUnknownSource", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.DmarcUnknownSource.Enabled, (r, v) => r.DmarcUnknownSource.Enabled = (bool)v),
        new("DmarcUnknownSource", "MinMessages", "More than this many messages", AlertRuleSettingKind.Count, r => (int)Math.Min(r.DmarcUnknownSource.MinMessages, int.MaxValue), (r, v) => r.DmarcUnknownSource.MinMessages = (int)v),
        new("DmarcUnknownSource", "NewWithin", "New (first seen within)", AlertRuleSettingKind.Duration, r => r.DmarcUnknownSource.NewWithin, (r, v) => r.DmarcUnknownSource.NewWithin = (TimeSpan)v),
        new("DmarcUnknownSource", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.DmarcUnknownSource.Severity, (r, v) => r.DmarcUnknownSource.Severity = (string)v),
        new("DmarcSendingIp", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.DmarcSendingIp.Enabled, (r, v) => r.DmarcSendingIp.Enabled = (bool)v),
        new("DmarcSendingIp", "MaxUnalignedShare", "Allowed unaligned share (0.02 = 2 %)", AlertRuleSettingKind.Number, r => r.DmarcSendingIp.MaxUnalignedShare, (r, v) => r.DmarcSendingIp.MaxUnalignedShare = (double)v),
        new("DmarcSendingIp", "MinMessages", "Minimum reported messages", AlertRuleSettingKind.Count, r => (int)Math.Min(r.DmarcSendingIp.MinMessages, int.MaxValue), (r, v) => r.DmarcSendingIp.MinMessages = (int)v),
        new("DmarcSendingIp", "For", "For (how long it must hold)", AlertRuleSettingKind.Duration, r => r.DmarcSendingIp.For, (r, v) => r.DmarcSendingIp.For = (TimeSpan)v),
        new("DmarcSendingIp", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.DmarcSendingIp.Severity, (r, v) => r.DmarcSendingIp.Severity = (string)v),
        new("TlsRptFailures", "Enabled", "Enabled", AlertRuleSettingKind.Switch, r => r.TlsRptFailures.Enabled, (r, v) => r.TlsRptFailures.Enabled = (bool)v),
        new("TlsRptFailures", "Threshold", "Failed share (0.05 = 5 %)", AlertRuleSettingKind.Number, r => r.TlsRptFailures.Threshold, (r, v) => r.TlsRptFailures.Threshold = (double)v),
        new("TlsRptFailures", "MinSessions", "Minimum reported sessions", AlertRuleSettingKind.Count, r => (int)Math.Min(r.TlsRptFailures.MinSessions, int.MaxValue), (r, v) => r.TlsRptFailures.MinSessions = (int)v),
        new("TlsRptFailures", "For", "For (how long it must hold)", AlertRuleSettingKind.Duration, r => r.TlsRptFailures.For, (r, v) => r.TlsRptFailures.For = (TimeSpan)v),
        new("TlsRptFailures", "Severity", "Severity", AlertRuleSettingKind.Severity, r => r.TlsRptFailures.Severity, (r, v) => r.TlsRptFailures.Severity = (string)v),
    ];

    public static AlertRuleSetting? Find(string key) => All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy of <paramref name="rules"/> (lists copied too), to change without touching the bound options.</summary>
    public static AlertRulesOptions Copy(AlertRulesOptions rules) => new()
    {
        CheckStatus = new()
        {
            Enabled = rules.CheckStatus.Enabled,
            For = rules.CheckStatus.For,
            ForRuns = rules.CheckStatus.ForRuns,
            IncludeWarnings = rules.CheckStatus.IncludeWarnings,
            ExcludeChecks = [.. rules.CheckStatus.ExcludeChecks],
        },
        RecordDrift = new() { Enabled = rules.RecordDrift.Enabled, Checks = [.. rules.RecordDrift.Checks], ActiveFor = rules.RecordDrift.ActiveFor, Severity = rules.RecordDrift.Severity },
        StaleData = new() { Enabled = rules.StaleData.Enabled, Factor = rules.StaleData.Factor, Severity = rules.StaleData.Severity },
        Blacklisted = new() { Enabled = rules.Blacklisted.Enabled, For = rules.Blacklisted.For, Severity = rules.Blacklisted.Severity },
        InboxRate = new() { Enabled = rules.InboxRate.Enabled, Threshold = rules.InboxRate.Threshold, MinMessages = rules.InboxRate.MinMessages, For = rules.InboxRate.For, Severity = rules.InboxRate.Severity },
        Capacity = new() { Enabled = rules.Capacity.Enabled, For = rules.Capacity.For, Severity = rules.Capacity.Severity },
        SendVolume = rules.SendVolume.Copy(),
        CriticalMessage = rules.CriticalMessage.Copy(),
        SendLatency = rules.SendLatency.Copy(),
        SendRate = rules.SendRate.Copy(),
        Throttling = rules.Throttling.Copy(),
        DmarcPassRate = new() { Enabled = rules.DmarcPassRate.Enabled, Threshold = rules.DmarcPassRate.Threshold, MinMessages = rules.DmarcPassRate.MinMessages, For = rules.DmarcPassRate.For, Severity = rules.DmarcPassRate.Severity },
        DmarcUnknownSource = new() { Enabled = rules.DmarcUnknownSource.Enabled, MinMessages = rules.DmarcUnknownSource.MinMessages, NewWithin = rules.DmarcUnknownSource.NewWithin, Severity = rules.DmarcUnknownSource.Severity },
        DmarcSendingIp = new() { Enabled = rules.DmarcSendingIp.Enabled, MaxUnalignedShare = rules.DmarcSendingIp.MaxUnalignedShare, MinMessages = rules.DmarcSendingIp.MinMessages, For = rules.DmarcSendingIp.For, Severity = rules.DmarcSendingIp.Severity },
        TlsRptFailures = new() { Enabled = rules.TlsRptFailures.Enabled, Threshold = rules.TlsRptFailures.Threshold, MinSessions = rules.TlsRptFailures.MinSessions, For = rules.TlsRptFailures.For, Severity = rules.TlsRptFailures.Severity },
    };
}
