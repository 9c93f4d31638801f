using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using MudBlazor;

namespace Deliverability.Server.Tests.Settings;

/// <summary>
/// <c>/api/settings/alert-rules</c> over the real service: a change made through the API is the rule the engine reads
/// (<see cref="EffectiveAlertRules"/>) and what Settings → Alert rules shows; the limits are those of configuration.
/// </summary>
public sealed class AlertRuleSettingsApiTests : ServiceFixture
{
    [Fact]
    public async Task Rule_changed_through_the_api_is_in_force_shown_on_the_page_and_reset_to_configuration()
    {
        await using var app = StartService(("Monitor:Alerts:Rules:InboxRate:Threshold", "0.7"), ("Monitor:Alerts:EvaluationInterval", "00:10:00"));
        var client = app.CreateClient();
        var rules = app.Services.GetRequiredService<EffectiveAlertRules>();

        var before = await client.GetAnswerAsync("/api/settings/alert-rules/inboxrate");
        var changed = await client.SendAsync(HttpMethod.Put, "/api/settings/alert-rules/InboxRate", new Dictionary<string, object> { ["threshold"] = 0.9, ["For"] = "01:00:00", ["enabled"] = true });

        Assert.Equal(("InboxRate", 0.7, "configuration"), (before.Json.GetProperty("rule").GetString(), Setting(before, "threshold").GetProperty("value").GetDouble(), Setting(before, "threshold").GetProperty("source").GetString()));
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        var threshold = Setting(changed, "threshold");
        Assert.Equal((0.9, 0.7, "dashboard", "api-key:test-admin"), (threshold.GetProperty("value").GetDouble(), threshold.GetProperty("configured").GetDouble(), threshold.GetProperty("source").GetString(), threshold.GetProperty("changedBy").GetString()));
        Assert.Equal(("01:00:00", "dashboard"), (Setting(changed, "for").GetProperty("value").GetString(), Setting(changed, "for").GetProperty("source").GetString()));
        Assert.Equal("configuration", Setting(changed, "enabled").GetProperty("source").GetString()); // equal to configuration: nothing stored
        var inForce = await rules.GetAsync();
        Assert.Equal((0.9, TimeSpan.FromHours(1)), (inForce.Rules.InboxRate.Threshold, inForce.Rules.InboxRate.For));

        await using (var context = PageContext.Over(app.Services))
        {
            context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
            context.Render<MudPopoverProvider>();
            var page = context.Render<AlertRulesSettings>();
            page.WaitForAssertion(() => Assert.Contains("changed in the dashboard by api-key:test-admin", page.Find("[data-setting='InboxRate:Threshold']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }

        var list = await client.GetAnswerAsync("/api/settings/alert-rules");
        Assert.Equal(["CheckStatus", "RecordDrift", "StaleData", "Blacklisted", "InboxRate", "Capacity", "SendVolume", "CriticalMessage", "SendLatency", "SendRate", "Throttling", "DmarcPassRate", "DmarcUnknownSource", "DmarcSendingIp", "TlsRptFailures"], list.Json.EnumerateArray().Select(r => r.GetProperty("rule").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/api/settings/alert-rules/InboxRate")).Status);
        Assert.Equal(0.7, (await rules.GetAsync()).Rules.InboxRate.Threshold);
        Assert.Equal("configuration", Setting(await client.GetAnswerAsync("/api/settings/alert-rules/InboxRate"), "threshold").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Every_problem_of_a_rule_change_is_reported_at_once_and_nothing_is_stored()
    {
        await using var app = StartService(("Monitor:Alerts:EvaluationInterval", "00:10:00"));
        var client = app.CreateClient();

        var answer = await client.SendRawAsync(HttpMethod.Put, "/api/settings/alert-rules/InboxRate",
            $$"""{"threshold": 1.5, "minMessages": "many", "severity": "{{new string('x', 65)}}", "bogus": 1, "for": null, "enabled": [true]}""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(["bogus", "enabled", "for", "minMessages", "severity", "threshold"], answer.ErrorFields.Order(StringComparer.Ordinal));
        Assert.Equal("'many' is not a whole number", answer.Error("minMessages"));
        Assert.Equal("is too long (65 characters; at most 64)", answer.Error("severity"));
        Assert.StartsWith("is not a setting of InboxRate (enabled, threshold, minMessages, for, severity)", answer.Error("bogus"), StringComparison.Ordinal);
        Assert.Empty((await app.Services.GetRequiredService<EffectiveAlertRules>().GetAsync()).Overrides);

        // The limits of configuration, once each value is of its kind.
        var limits = await client.SendAsync(HttpMethod.Put, "/api/settings/alert-rules/InboxRate", new { threshold = 1.5, minMessages = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, limits.Status);
        Assert.Equal("must be a share above 0 and at most 1, e.g. 0.8 for 80 % (was 1.5)", limits.Error("threshold"));
        Assert.Equal("must be at least 1 (was 0)", limits.Error("minMessages"));
        Assert.Empty((await app.Services.GetRequiredService<EffectiveAlertRules>().GetAsync()).Overrides);
    }

    [Fact]
    public async Task Unknown_rule_is_not_found_and_rules_are_not_created()
    {
        await using var app = StartService();
        var client = app.CreateClient();

        var unknown = await client.SendAsync(HttpMethod.Put, "/api/settings/alert-rules/Nope", new { enabled = true });
        var post = await client.SendAsync(HttpMethod.Post, "/api/settings/alert-rules", new { rule = "Nope" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("CheckStatus, RecordDrift, StaleData, Blacklisted, InboxRate, Capacity", unknown.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);
    }

    private static System.Text.Json.JsonElement Setting(SettingsAnswer rule, string name) =>
        rule.Json.GetProperty("settings").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
}
