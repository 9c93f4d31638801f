using Deliverability.Contracts.Placement;

namespace Deliverability.Core.Placement;

/// <summary>A run as the API (<c>/api/placement/runs</c>) and the CLI (<c>monitor placement run --json</c>) both write it.</summary>
public static class PlacementRunDtoMapping
{
    public static PlacementRatesDto ToDto(this PlacementRates r) => new(r.Seeds, r.Inbox, r.Spam, r.Other, r.Missing, r.Errors, r.InboxRate, r.SpamRate, r.OtherRate, r.MissingRate);

    public static SeedPlacementDto ToDto(this SeedPlacement s) => new(
        s.Provider, s.Address, s.Status.Word(), s.Folder, s.SentAt, s.ArrivedAt, s.DeliveryTime?.TotalSeconds,
        s.Authentication.Spf, s.Authentication.Dkim, s.Authentication.Dmarc, s.AuthenticationResults, s.Error);

    /// <summary>The run with its comparison to the previous one (none for the CLI, which does not store runs).</summary>
    public static PlacementRunDto ToDto(this StoredPlacementRun stored)
    {
        var run = stored.Run;
        var deltas = stored.Deltas;
        var overall = deltas.Single(d => d.Provider is null);
        return new PlacementRunDto(
            run.Id,
            run.SendPath,
            run.StartedAt,
            run.FinishedAt,
            run.Overall.ToDto(),
            stored.Previous?.Id,
            overall.PreviousInboxRate,
            overall.InboxRateChange,
            [.. run.Providers.Select(p =>
            {
                var delta = deltas.FirstOrDefault(d => string.Equals(d.Provider, p.Provider, StringComparison.OrdinalIgnoreCase));
                return new ProviderPlacementDto(p.Provider, p.Rates.ToDto(), delta?.PreviousInboxRate, delta?.InboxRateChange);
            })],
            [.. run.Seeds.Select(s => s.ToDto())]);
    }
}
