using Deliverability.Contracts.Alerts;
using Deliverability.Core.Alerts;

namespace Deliverability.Server.Alerts;

/// <summary>Stored alerts and silences as <c>/api/alerts</c> answers them (the contracts the CLI reads too).</summary>
internal static class AlertDtoMapping
{
    public static AlertDto ToDto(this AlertRow row) => new(
        row.Fingerprint,
        row.AlertName,
        Name(row.State),
        row.Severity,
        AlertJson.Map(row.LabelsJson),
        AlertJson.Map(row.AnnotationsJson),
        row.ActiveSince,
        row.StartsAt,
        row.EndsAt,
        row.UpdatedAt,
        row.AcknowledgedBy,
        row.AcknowledgedAt,
        row.MutedBy);

    public static AlertChangeDto ToDto(this AlertHistoryRow row) =>
        new(row.FromState is { } from ? Name(from) : null, Name(row.ToState), row.At, row.Note);

    /// <summary><c>status</c> is pending, active or expired at <paramref name="now"/>; <c>problem</c> says why a stored silence is not applied.</summary>
    public static SilenceDto ToDto(this SilenceRow row, DateTimeOffset now) => new(
        row.Id,
        SilenceMatchers.Texts(row),
        row.StartsAt,
        row.EndsAt,
        row.CreatedBy,
        row.Comment,
        row.CreatedAt,
        row.EndsAt <= now ? "expired" : row.StartsAt > now ? "pending" : "active",
        SilenceMatchers.TryCompile(row, out _, out var problem) ? null : "not applied: " + problem);

    private static string Name(AlertState state) => state.ToString().ToLowerInvariant();
}
