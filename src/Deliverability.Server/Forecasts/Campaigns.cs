using System.Globalization;
using Deliverability.Core.Forecasts;

namespace Deliverability.Server.Forecasts;

/// <summary>The checks of a planned campaign, the same for the API and the page's form; each problem names its field.</summary>
public static class Campaigns
{
    public const double MaxVolume = 1e12;

    public static (PlannedCampaignRow? Campaign, string? Problem) Validate(CampaignRequest? request, string createdBy, DateTimeOffset now)
    {
        if (request is null)
        {
            return (null, "body: {\"date\": \"2026-12-01\", \"stream\": \"marketing\", \"expectedVolume\": 250000, \"name\": \"Winter sale\"} is expected");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (request.Date is not { } date)
        {
            return (null, "date: the campaign's day, such as \"2026-12-01\", is expected");
        }

        if (date < today.AddYears(-2) || date > today.AddYears(2))
        {
            return (null, $"date: within two years of today ({today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}) (was {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        }

        var stream = request.Stream?.Trim();
        if (!StreamNames.IsValid(stream))
        {
            return (null, StreamNames.Problem(stream));
        }

        if (request.ExpectedVolume is not { } volume || !double.IsFinite(volume) || volume <= 0 || volume > MaxVolume)
        {
            return (null, $"expectedVolume: the messages the campaign adds on its day, more than 0 and at most {MaxVolume:0} (was {request.ExpectedVolume?.ToString(CultureInfo.InvariantCulture) ?? "missing"})");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        if (name is { Length: > ForecastStore.MaxNameLength } || (name?.Any(char.IsControl) ?? false))
        {
            return (null, $"name: at most {ForecastStore.MaxNameLength} characters, on one line");
        }

        return (new PlannedCampaignRow
        {
            Id = Guid.NewGuid(),
            Date = date,
            Stream = stream,
            ExpectedVolume = volume,
            Name = name,
            CreatedBy = createdBy,
            CreatedAt = now,
        }, null);
    }
}
