using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts;

/// <summary>A rule setting changed in the dashboard, merged over <c>Monitor:Alerts:Rules</c> (key <c>InboxRate:Threshold</c>, invariant text).</summary>
public sealed class AlertRuleOverrideRow
{
    /// <summary>The longest value stored: far more than any valid one (a duration, a number, a severity word).</summary>
    public const int MaxValueLength = 64;

    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public string ChangedBy { get; set; } = "";
}

internal sealed class AlertRuleOverrideRowConfiguration : IEntityTypeConfiguration<AlertRuleOverrideRow>
{
    public void Configure(EntityTypeBuilder<AlertRuleOverrideRow> builder)
    {
        builder.ToTable("alert_rule_overrides");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(64);
        builder.Property(r => r.Value).HasMaxLength(AlertRuleOverrideRow.MaxValueLength);
        builder.Property(r => r.ChangedBy).HasMaxLength(256);
    }
}

/// <summary>The rules in force: configuration with the dashboard's changes over it, and which keys were changed (by whom, when).</summary>
public sealed record AlertRulesInForce(AlertRulesOptions Rules, IReadOnlyDictionary<string, AlertRuleOverrideRow> Overrides, long Version)
{
    public bool IsChanged(string key) => Overrides.ContainsKey(key);
}

/// <summary>
/// The alert rules in force: <c>Monitor:Alerts:Rules</c> with the changes an Admin made in the dashboard (table
/// <c>alert_rule_overrides</c>) merged over it. A change is validated by <see cref="AlertRulesValidation"/>, as start-up
/// validates configuration, and is stored only when the whole result is valid. The engine asks on every evaluation: the
/// merged rules are cached, read again after a change here and at least every <see cref="RereadEvery"/> (a change made
/// on another node).
/// </summary>
public sealed partial class EffectiveAlertRules(IOptions<AlertOptions> options, IDbContextFactory<MonitorDbContext> contexts, TimeProvider time, ILogger<EffectiveAlertRules>? logger = null)
{
    public static readonly TimeSpan RereadEvery = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private AlertRulesInForce? _cached;
    private DateTimeOffset _cachedAt;
    private long _version;

    /// <summary>The rules as configured (before any dashboard change).</summary>
    public AlertRulesOptions Configured => options.Value.Rules;

    public async Task<AlertRulesInForce> GetAsync(CancellationToken cancellationToken = default)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && time.GetUtcNow() - _cachedAt < RereadEvery)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } fresh && time.GetUtcNow() - _cachedAt < RereadEvery)
            {
                return fresh;
            }

            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var rows = await db.Set<AlertRuleOverrideRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            var merged = Merge(rows);
            var changed = _cached is null || !SameOverrides(_cached.Overrides, merged.Overrides);
            var result = changed ? merged with { Version = ++_version } : _cached!;
            _cachedAt = time.GetUtcNow();
            Volatile.Write(ref _cached, result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The problems <see cref="SaveAsync"/> would refuse <paramref name="values"/> with (none: it would store them), storing nothing.</summary>
    public async Task<IReadOnlyList<AlertRuleProblem>> CheckAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default) =>
        Apply(await GetAsync(cancellationToken).ConfigureAwait(false), values).Problems;

    /// <summary>
    /// Sets the settings of <paramref name="values"/> (key to typed text). A value equal to configuration removes that
    /// key's change. Returns the problems by key (nothing stored then), or none when saved.
    /// </summary>
    public async Task<IReadOnlyList<AlertRuleProblem>> SaveAsync(IReadOnlyDictionary<string, string> values, string changedBy, CancellationToken cancellationToken = default)
    {
        var (candidate, settings, problems) = Apply(await GetAsync(cancellationToken).ConfigureAwait(false), values);
        if (problems.Count > 0)
        {
            return problems;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var keys = settings.Select(s => s.Key).ToArray();
            var stored = await db.Set<AlertRuleOverrideRow>().Where(r => keys.Contains(r.Key)).ToDictionaryAsync(r => r.Key, cancellationToken).ConfigureAwait(false);
            foreach (var setting in settings)
            {
                var value = setting.Read(candidate);
                var row = stored.GetValueOrDefault(setting.Key);
                if (value == setting.Read(Configured))
                {
                    if (row is not null)
                    {
                        db.Remove(row);
                    }
                }
                else if (row is null)
                {
                    db.Add(new AlertRuleOverrideRow { Key = setting.Key, Value = value, ChangedAt = time.GetUtcNow(), ChangedBy = changedBy });
                }
                else if (row.Value != value)
                {
                    (row.Value, row.ChangedAt, row.ChangedBy) = (value, time.GetUtcNow(), changedBy);
                }
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        Invalidate();
        LogSaved(changedBy, string.Join(", ", settings.Select(s => $"{s.Key}={s.Read(candidate)}")));
        return [];
    }

    /// <summary>Removes the dashboard's changes of one rule section (<c>InboxRate</c>): its settings are as configured again.</summary>
    public async Task ResetAsync(string section, string changedBy, CancellationToken cancellationToken = default)
    {
        var prefix = section + ":";
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await db.Set<AlertRuleOverrideRow>().Where(r => r.Key.StartsWith(prefix)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        Invalidate();
        LogReset(changedBy, section);
    }

    /// <summary>The rules in force with <paramref name="values"/> written over them, the settings written, and every problem (by key).</summary>
    private static (AlertRulesOptions Candidate, List<AlertRuleSetting> Settings, List<AlertRuleProblem> Problems) Apply(AlertRulesInForce current, IReadOnlyDictionary<string, string> values)
    {
        var candidate = AlertRuleSettings.Copy(current.Rules);
        var problems = new List<AlertRuleProblem>();
        var settings = new List<AlertRuleSetting>();
        foreach (var (key, text) in values)
        {
            if (AlertRuleSettings.Find(key) is not { } setting)
            {
                problems.Add(new(key, "is not a rule setting the dashboard can change"));
            }
            else if (TextLimits.TooLong(setting.Key, text?.Trim(), AlertRuleOverrideRow.MaxValueLength) is { } tooLong)
            {
                problems.Add(new(setting.Key, tooLong.Message));
            }
            else if (!setting.TryWrite(candidate, text, out var error))
            {
                problems.Add(new(setting.Key, error));
            }
            else
            {
                settings.Add(setting);
            }
        }

        problems.AddRange(AlertRulesValidation.Validate(candidate).Where(p => problems.All(q => q.Key != p.Key)));
        return (candidate, settings, problems);
    }

    private void Invalidate() => _cachedAt = DateTimeOffset.MinValue;

    // A stored change that no longer parses or that configuration made invalid (a limit moved) is left out, not applied.
    private AlertRulesInForce Merge(IReadOnlyList<AlertRuleOverrideRow> rows)
    {
        var rules = AlertRuleSettings.Copy(Configured);
        var applied = new Dictionary<string, AlertRuleOverrideRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (AlertRuleSettings.Find(row.Key) is { } setting && setting.TryWrite(rules, row.Value, out _))
            {
                applied[setting.Key] = row;
            }
        }

        var invalid = AlertRulesValidation.Validate(rules).Select(p => p.Key).Where(applied.ContainsKey).ToHashSet(StringComparer.Ordinal);
        foreach (var key in invalid)
        {
            AlertRuleSettings.Find(key)!.TryWrite(rules, AlertRuleSettings.Find(key)!.Read(Configured), out _);
            applied.Remove(key);
            LogIgnored(key);
        }

        return new AlertRulesInForce(rules, applied, 0);
    }

    private static bool SameOverrides(IReadOnlyDictionary<string, AlertRuleOverrideRow> a, IReadOnlyDictionary<string, AlertRuleOverrideRow> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && other.Value == p.Value.Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rules changed in the dashboard by {ChangedBy}: {Settings}")]
    private partial void LogSaved(string changedBy, string settings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {Section} reset to configuration by {ChangedBy}")]
    private partial void LogReset(string changedBy, string section);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard's change of alert rule setting {Key} is not valid with the current configuration; the configured value is used")]
    private partial void LogIgnored(string key);
}
