using Microsoft.EntityFrameworkCore;
using Deliverability.Core.SendEvents;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>Stored send events as the webhook sources store them (unprocessed, recipients hashed).</summary>
internal static class SendEventSamples
{
    private static long _next;

    public static SendEventRow Event(
        DateTimeOffset at,
        SendEventKind kind,
        string recipientDomain = "gmail.com",
        string stream = "transactional",
        string provider = "sendgrid",
        string? sendingDomain = "shop.example",
        long? latencyMs = null,
        bool critical = false,
        string? status = null,
        string? diagnostic = null,
        int? smtpCode = null)
    {
        var n = Interlocked.Increment(ref _next);
        return new SendEventRow
        {
            Provider = provider,
            Source = provider + "-main",
            ProviderEventId = $"evt-{Guid.NewGuid():N}",
            Stream = stream,
            SendingDomain = sendingDomain,
            Kind = kind,
            OccurredAt = at,
            ReceivedAt = at.AddSeconds(5),
            RecipientHash = Convert.ToHexStringLower(BitConverter.GetBytes(n)).PadLeft(64, '0'),
            RecipientDomain = recipientDomain,
            SmtpCode = smtpCode,
            EnhancedStatus = status,
            Diagnostic = diagnostic,
            MessageId = $"<m{n}@shop.example>",
            DeliveryLatencyMs = latencyMs,
            Critical = critical,
        };
    }

    /// <summary><paramref name="count"/> events spread over the minute of <paramref name="minute"/>.</summary>
    public static IEnumerable<SendEventRow> Many(int count, DateTimeOffset minute, Func<int, DateTimeOffset, SendEventRow> make) =>
        Enumerable.Range(0, count).Select(i => make(i, minute.AddMilliseconds(i * 59_000.0 / Math.Max(1, count))));

    public static async Task StoreAsync(IDbContextFactory<MonitorDbContext> contexts, IEnumerable<SendEventRow> events)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.AddRange(events);
        await db.SaveChangesAsync();
    }
}
