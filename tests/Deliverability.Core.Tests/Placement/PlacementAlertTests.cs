using Deliverability.Core.Alerts;
using Deliverability.Core.Placement;
using Deliverability.Core.Tests.Alerts;

namespace Deliverability.Core.Tests.Placement;

/// <summary>A stored placement run, read by the placement signal source, through the alert engine with the default rules.</summary>
public sealed class PlacementAlertTests
{
    [Fact]
    public async Task One_seed_per_provider_at_zero_percent_raises_inbox_rate_low_with_the_default_rules()
    {
        await using var t = await AlertTimeline.StartAsync();
        var store = new PlacementResultStore(t.Contexts);
        // The set-up of docs/placement.md: one seed at each provider; Outlook's landed in spam.
        await store.SaveAsync(new PlacementRunReport(Guid.NewGuid(), "mta", AlertTimeline.T0.AddMinutes(-2), AlertTimeline.T0,
        [
            Seed("Gmail", SeedPlacementStatus.Inbox),
            Seed("Outlook", SeedPlacementStatus.Spam),
            Seed("GMX", SeedPlacementStatus.Inbox),
        ]));
        t.Signals.Current.AddRange(await new PlacementAlertSignals(store).GetSignalsAsync(CancellationToken.None));

        await t.EvaluateAsync();
        await t.RunUntilAsync(TimeSpan.FromMinutes(2));

        var alert = Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts);
        Assert.Equal(("InboxRateLow", "Outlook"), (alert.Labels["alertname"], alert.Labels["provider"]));
        Assert.Equal("Inbox rate at Outlook is 0 % (under 80 %)", alert.Annotations["summary"]);
    }

    private static SeedPlacement Seed(string provider, SeedPlacementStatus status) =>
        new(provider, $"seed@{provider.ToLowerInvariant()}.test", status, status == SeedPlacementStatus.Spam ? "Junk" : "INBOX", AlertTimeline.T0.AddMinutes(-2), AlertTimeline.T0.AddMinutes(-1), ReceiverAuthentication.None, [], null);
}
