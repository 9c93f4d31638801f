using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Storage;

/// <summary>Alert rule changes made in the dashboard, stored over configuration, on each provider (the subclasses below).</summary>
public abstract class AlertRuleOverrideStoreTests : StoreFixture
{
    private readonly AlertOptions _configured = new() { Rules = { InboxRate = { Threshold = 0.7, Severity = "critical" } } };

    private EffectiveAlertRules NewRules() => new(Options.Create(_configured), Contexts, Time);

    [Fact]
    public async Task Change_is_merged_over_configuration_marked_as_changed_and_reset_to_configuration()
    {
        var rules = NewRules();

        Assert.Empty(await rules.SaveAsync(new Dictionary<string, string> { ["InboxRate:Threshold"] = "0.85", ["CheckStatus:ForRuns"] = "3", ["InboxRate:Severity"] = "critical" }, "ada"));
        var inForce = await rules.GetAsync();

        Assert.Equal((0.85, 3, "critical"), (inForce.Rules.InboxRate.Threshold, inForce.Rules.CheckStatus.ForRuns, inForce.Rules.InboxRate.Severity));
        Assert.Equal(["CheckStatus:ForRuns", "InboxRate:Threshold"], inForce.Overrides.Keys.Order(StringComparer.Ordinal)); // the severity is as configured
        Assert.Equal(("0.85", "ada", Time.GetUtcNow()), (inForce.Overrides["InboxRate:Threshold"].Value, inForce.Overrides["InboxRate:Threshold"].ChangedBy, inForce.Overrides["InboxRate:Threshold"].ChangedAt));
        Assert.Equal(0.7, _configured.Rules.InboxRate.Threshold); // the bound options are not touched

        await rules.ResetAsync("InboxRate", "ada");
        var reset = await NewRules().GetAsync(); // as another node (or after a restart) reads it

        Assert.Equal((0.7, 3), (reset.Rules.InboxRate.Threshold, reset.Rules.CheckStatus.ForRuns));
        Assert.Equal(["CheckStatus:ForRuns"], reset.Overrides.Keys);
    }

    [Fact]
    public async Task Invalid_values_are_refused_by_key_with_the_start_up_messages_and_nothing_is_stored()
    {
        var rules = NewRules();

        var problems = await rules.SaveAsync(new Dictionary<string, string> { ["InboxRate:Threshold"] = "1.5", ["Blacklisted:For"] = "soon", ["CheckStatus:ForRuns"] = "2" }, "ada");

        Assert.Equal(
            [("Blacklisted:For", "'soon' is not a duration (hh:mm:ss, e.g. 00:05:00)"), ("InboxRate:Threshold", "must be a share above 0 and at most 1, e.g. 0.8 for 80 % (was 1.5)")],
            problems.Select(p => (p.Key, p.Message)).Order());
        Assert.Empty((await NewRules().GetAsync()).Overrides);
    }

    [Fact]
    public async Task Setting_a_value_back_to_the_configured_one_removes_the_change()
    {
        var rules = NewRules();
        await rules.SaveAsync(new Dictionary<string, string> { ["StaleData:Factor"] = "5" }, "ada");

        await rules.SaveAsync(new Dictionary<string, string> { ["StaleData:Factor"] = "3" }, "bob");

        Assert.Empty((await NewRules().GetAsync()).Overrides);
    }

    [Fact]
    public async Task Change_made_on_another_node_is_read_within_the_reread_interval()
    {
        var engineNode = NewRules();
        Assert.True((await engineNode.GetAsync()).Rules.InboxRate.Enabled);

        await NewRules().SaveAsync(new Dictionary<string, string> { ["InboxRate:Enabled"] = "false" }, "ada");
        Time.Advance(EffectiveAlertRules.RereadEvery);

        Assert.False((await engineNode.GetAsync()).Rules.InboxRate.Enabled);
    }
}

public sealed class SqliteAlertRuleOverrideStoreTests : AlertRuleOverrideStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresAlertRuleOverrideStoreTests(PostgresFixture postgres) : AlertRuleOverrideStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "rulestore_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
