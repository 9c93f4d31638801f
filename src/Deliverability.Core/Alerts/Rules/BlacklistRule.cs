namespace Deliverability.Core.Alerts.Rules;

/// <summary><c>BlacklistListed</c>: an IP or a domain is listed on a block list.</summary>
public sealed class BlacklistRule(BlacklistRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "BlacklistListed";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var listing in input.Signals.OfType<BlacklistListingSignal>())
        {
            var domain = listing.IsIp ? listing.Domain : listing.Target;
            var labels = AlertLabels.Of(
                (AlertLabels.AlertName, Name),
                (AlertLabels.Severity, options.Severity),
                (AlertLabels.Ip, listing.IsIp ? listing.Target : null),
                (AlertLabels.Domain, domain),
                (AlertLabels.Zone, listing.Zone));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"{listing.Target} is listed on {listing.Zone}"),
                (AlertLabels.Description, listing.Meaning ?? $"{listing.Zone} lists {listing.Target}."),
                (AlertLabels.Fix, "Find and stop what got it listed (compromised account, bad list, missing bounce handling), then request delisting"
                    + (listing.DelistUrl is null ? "." : $": {listing.DelistUrl}")));
            links.AddTo(annotations, domain);
            yield return new AlertCondition(labels, annotations, listing.Since, 1, options.For, 1);
        }
    }
}
