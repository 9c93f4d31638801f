using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Tests.SendEvents.Sending;

/// <summary>
/// The service with stored send events: events are written to <c>send_events</c> as the webhook sources store them,
/// and the service's own processor rolls them up. Where no mailbox-provider classifier is registered (the sources'
/// feature), a private stand-in answers from a fixed table of well-known domains.
/// </summary>
public abstract class SendingService : ServiceFixture
{
    internal MonitorApplication StartSendingService(params (string Key, string? Value)[] settings)
    {
        return new MonitorApplication(DataFolder, Dns.Endpoint, Settings([("Monitor:Sending:ProcessInterval", "00:00:00.200"), .. settings]), services => services.TryAddSingleton<IMailboxProviderClassifier, WellKnownMailboxProviders>());
    }

    internal static async Task StoreAsync(MonitorApplication app, IEnumerable<SendEventRow> events)
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.AddRange(events);
        await db.SaveChangesAsync();
        // As the webhook writer does after a commit: the processor sleeps until told.
        app.Services.GetRequiredService<SendEventArrivals>().Notify();
    }

    /// <summary>Polls until every stored event is rolled up.</summary>
    internal static async Task WaitUntilProcessedAsync(MonitorApplication app)
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (!await db.Set<SendEventRow>().AnyAsync(e => e.ProcessedAt == null))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the stored send events were not rolled up within 30 s");
    }

    internal static SendEventRow Event(DateTimeOffset at, SendEventKind kind, string recipientDomain, string stream = "marketing", string? diagnostic = null, string? status = null, long? latencyMs = null) => new()
    {
        Provider = "sendgrid",
        Source = "sendgrid-main",
        ProviderEventId = Guid.NewGuid().ToString("N"),
        Stream = stream,
        SendingDomain = "shop.example",
        Kind = kind,
        OccurredAt = at,
        ReceivedAt = at,
        RecipientHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        RecipientDomain = recipientDomain,
        EnhancedStatus = status,
        Diagnostic = diagnostic,
        MessageId = $"<{Guid.NewGuid():N}@shop.example>",
        DeliveryLatencyMs = latencyMs,
    };

    /// <summary><paramref name="perMinute"/> events a minute from <paramref name="from"/> to <paramref name="to"/>.</summary>
    internal static IEnumerable<SendEventRow> Steady(DateTimeOffset from, DateTimeOffset to, int perMinute, Func<DateTimeOffset, SendEventRow> make)
    {
        for (var minute = from; minute < to; minute = minute.AddMinutes(1))
        {
            for (var i = 0; i < perMinute; i++)
            {
                yield return make(minute.AddSeconds(i * 59.0 / perMinute));
            }
        }
    }

    private sealed class WellKnownMailboxProviders : IMailboxProviderClassifier
    {
        public ValueTask<string> ClassifyAsync(string recipientDomain, CancellationToken cancellationToken) => ValueTask.FromResult(recipientDomain switch
        {
            "gmail.com" => "gmail",
            "yahoo.com" => "yahoo",
            "outlook.com" or "hotmail.com" => "outlook",
            _ => "other",
        });
    }
}
