using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Alerts;
using Deliverability.Core.Configuration;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Settings;

/// <summary>
/// <c>/api/settings/alert-rules</c>: the built-in rules' settings in force, as on Settings → Alert rules, each from
/// configuration or changed in the dashboard. PUT changes some settings of one rule (checked with the limits of
/// configuration, all problems at once, nothing stored unless all pass); DELETE resets the rule to configuration. The
/// rules are a fixed set: none is created or removed.
/// </summary>
internal static class AlertRuleSettingsApi
{
    public static RouteGroupBuilder MapAlertRuleSettings(this RouteGroupBuilder settings)
    {
        var group = settings.MapGroup("/alert-rules");
        group.MapGet("/", async (EffectiveAlertRules rules, CancellationToken cancellationToken) =>
        {
            var inForce = await rules.GetAsync(cancellationToken);
            return TypedResults.Ok(AlertRuleSettings.Rules.Select(r => AlertRuleDto.From(r.Section, inForce, rules.Configured)).ToArray());
        });
        group.MapGet("/{rule}", GetAsync);
        group.MapPut("/{rule}", UpdateAsync);
        group.MapDelete("/{rule}", ResetAsync);
        return settings;
    }

    private static async Task<Results<Ok<AlertRuleDto>, ProblemHttpResult>> GetAsync(string rule, EffectiveAlertRules rules, CancellationToken cancellationToken) =>
        Section(rule) is { } section
            ? TypedResults.Ok(AlertRuleDto.From(section, await rules.GetAsync(cancellationToken), rules.Configured))
            : UnknownRule(rule);

    /// <summary>The body names settings of the rule with their values: <c>{"threshold": 0.9, "for": "01:00:00", "enabled": true}</c>.</summary>
    private static async Task<Results<Ok<AlertRuleDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string rule, BoundedJsonBody<Dictionary<string, JsonElement>> body, EffectiveAlertRules rules, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (Section(rule) is not { } section)
        {
            return UnknownRule(rule);
        }

        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<FieldProblem>();
        foreach (var (name, value) in body.Value!)
        {
            if (AlertRuleSettings.Find($"{section}:{name}") is not { } setting)
            {
                var shown = name.Length <= 100 ? name : name[..100] + "...";
                problems.Add(new(shown, $"is not a setting of {section} ({string.Join(", ", Settings(section).Select(s => Camel(s.Name)))})"));
            }
            else if (Text(value) is { } text)
            {
                values[setting.Key] = text;
            }
            else
            {
                problems.Add(new(Camel(setting.Name), value.ValueKind == JsonValueKind.Null
                    ? $"must have a value (DELETE /api/settings/alert-rules/{section} resets the rule to configuration)"
                    : "must be a number, a string or true/false"));
            }
        }

        // Every problem at once: the values are checked by the rules' limits even when another field is refused.
        var refused = problems.Count > 0 ? await rules.CheckAsync(values, cancellationToken) : await rules.SaveAsync(values, SettingResults.By(user), cancellationToken);
        problems.AddRange(refused.Select(p => new FieldProblem(AlertRuleSettings.Find(p.Key) is { } s && s.Section == section ? Camel(s.Name) : p.Key, p.Message)));
        return problems.Count > 0
            ? SettingResults.Invalid(problems)
            : TypedResults.Ok(AlertRuleDto.From(section, await rules.GetAsync(cancellationToken), rules.Configured));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetAsync(string rule, EffectiveAlertRules rules, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (Section(rule) is not { } section)
        {
            return UnknownRule(rule);
        }

        await rules.ResetAsync(section, SettingResults.By(user), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The value as the rule editor types it (invariant text); null for what is no single value.</summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? Section(string rule) =>
        AlertRuleSettings.Rules.Select(r => r.Section).FirstOrDefault(s => string.Equals(s, rule.Trim(), StringComparison.OrdinalIgnoreCase));

    internal static IEnumerable<AlertRuleSetting> Settings(string section) => AlertRuleSettings.All.Where(s => s.Section == section);

    internal static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static ProblemHttpResult UnknownRule(string rule) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown alert rule",
            detail: $"No built-in rule is called {SettingResults.Quote(rule)} ({string.Join(", ", AlertRuleSettings.Rules.Select(r => r.Section))}).");
}

/// <summary>A built-in rule with the settings the dashboard and this API can change.</summary>
/// <param name="Rule">Its section under <c>Monitor:Alerts:Rules</c>.</param>
/// <param name="AlertName">The <c>alertname</c> of the alerts it raises.</param>
public sealed record AlertRuleDto(string Rule, string AlertName, string Description, IReadOnlyList<AlertRuleSettingDto> Settings)
{
    public static AlertRuleDto From(string section, AlertRulesInForce inForce, AlertRulesOptions configured)
    {
        var (_, alertName, description) = AlertRuleSettings.Rules.Single(r => r.Section == section);
        return new(section, alertName, description, [.. AlertRuleSettingsApi.Settings(section).Select(s => AlertRuleSettingDto.From(s, inForce, configured))]);
    }
}

/// <summary>One setting: its value in force and the configured one, typed (true/false, a number, or text for durations and severities).</summary>
/// <param name="Name">The key in a PUT body.</param>
/// <param name="Key">Its configuration key below <c>Monitor:Alerts:Rules</c>.</param>
/// <param name="Kind"><c>switch</c>, <c>duration</c>, <c>count</c>, <c>number</c> or <c>severity</c>.</param>
/// <param name="Source"><c>configuration</c>, or <c>dashboard</c> when changed in the dashboard or through this API (by <paramref name="ChangedBy"/>).</param>
public sealed record AlertRuleSettingDto(string Name, string Key, string Kind, object Value, object Configured, string Source, string? ChangedBy, DateTimeOffset? ChangedAt)
{
    public static AlertRuleSettingDto From(AlertRuleSetting setting, AlertRulesInForce inForce, AlertRulesOptions configured)
    {
        var change = inForce.Overrides.GetValueOrDefault(setting.Key);
        return new(
            AlertRuleSettingsApi.Camel(setting.Name),
            setting.Key,
            setting.Kind.ToString().ToLowerInvariant(),
            Typed(setting, setting.Read(inForce.Rules)),
            Typed(setting, setting.Read(configured)),
            change is null ? "configuration" : "dashboard",
            change?.ChangedBy,
            change?.ChangedAt);
    }

    private static object Typed(AlertRuleSetting setting, string text) => setting.Kind switch
    {
        AlertRuleSettingKind.Switch => text == "true",
        AlertRuleSettingKind.Count => int.Parse(text, CultureInfo.InvariantCulture),
        AlertRuleSettingKind.Number => double.Parse(text, CultureInfo.InvariantCulture),
        _ => text,
    };
}
