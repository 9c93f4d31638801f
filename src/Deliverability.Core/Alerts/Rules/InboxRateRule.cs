using System.Globalization;

namespace Deliverability.Core.Alerts.Rules;

/// <summary><c>InboxRateLow</c>: the latest inbox rate at a mailbox provider is under the threshold (with enough seed messages).</summary>
public sealed class InboxRateRule(InboxRateRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "InboxRateLow";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var rate in input.Signals.OfType<InboxRateSignal>())
        {
            if (rate.Messages < options.MinMessages || rate.InboxRate >= options.Threshold)
            {
                continue;
            }

            var labels = AlertLabels.Of(
                (AlertLabels.AlertName, Name),
                (AlertLabels.Severity, options.Severity),
                (AlertLabels.Provider, rate.Provider),
                (AlertLabels.Domain, rate.Domain),
                (AlertLabels.Ip, rate.Ip));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, string.Create(CultureInfo.InvariantCulture, $"Inbox rate at {rate.Provider} is {rate.InboxRate:P0} (under {options.Threshold:P0})")),
                (AlertLabels.Description, string.Create(CultureInfo.InvariantCulture, $"{rate.InboxRate:P0} of {rate.Messages} seed messages reached the inbox at {rate.Provider}.")),
                (AlertLabels.Fix, "Look at the placement run (spam folder or missing), the authentication results and the blacklists of the sending IPs."));
            links.AddTo(annotations, rate.Domain);
            yield return new AlertCondition(labels, annotations, rate.Since, 1, options.For, 1);
        }
    }
}
