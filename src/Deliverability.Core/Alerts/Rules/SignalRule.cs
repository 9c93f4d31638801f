namespace Deliverability.Core.Alerts.Rules;

/// <summary>
/// A rule that raises at most one alert per signal of <typeparamref name="TSignal"/> (the sending and DMARC rules): off
/// while <see cref="Enabled"/> is false; each alert carries the rule's name, its severity, the signal's own labels,
/// a summary, a description, a fix, and the dashboard page of its feature.
/// </summary>
public abstract class SignalRule<TSignal>(AlertLinks links, string dashboardPath) : IAlertRule
{
    public abstract string AlertName { get; }

    protected abstract bool Enabled { get; }

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var signal in input.Signals.OfType<TSignal>())
        {
            if (Alert(signal, input) is not { } alert)
            {
                continue;
            }

            var labels = AlertLabels.Of([(AlertLabels.AlertName, AlertName), (AlertLabels.Severity, alert.Severity), .. alert.Labels]);
            var annotations = AlertLabels.Of((AlertLabels.Summary, alert.Summary), (AlertLabels.Description, alert.Description), (AlertLabels.Fix, alert.Fix));
            if (links.ExternalUrl is { } url)
            {
                annotations[AlertLabels.DashboardUrl] = url + dashboardPath;
            }

            yield return new AlertCondition(labels, annotations, alert.Since, 1, alert.For, 1);
        }
    }

    /// <summary>The alert <paramref name="signal"/> calls for, or null when it calls for none.</summary>
    protected abstract SignalAlert? Alert(TSignal signal, AlertRuleInput input);
}

/// <summary>What a <see cref="SignalRule{TSignal}"/> raises for one signal: it fires once it has held for <see cref="For"/>.</summary>
public sealed record SignalAlert(
    string Severity, (string Name, string? Value)[] Labels, string Summary, string Description, string Fix, DateTimeOffset Since, TimeSpan For);
