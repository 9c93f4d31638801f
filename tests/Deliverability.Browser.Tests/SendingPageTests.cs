using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.Storage;
using Deliverability.Testing.Dns;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The Sending page in a real browser: a day of stored send events with a burst of Outlook blocks twelve minutes ago,
/// rolled up; the page shows the figures, the charts, the Outlook block rate over its threshold with its throttling
/// code, and a click on the burst's minute lists its events with recipients as hashes only.
/// </summary>
public sealed class SendingPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly DateTimeOffset ThisMinute = SendMinute.Start(SendMinute.Of(DateTimeOffset.UtcNow));
    private static readonly DateTimeOffset Burst = ThisMinute.AddMinutes(-12);
    private TestDnsServer _dns = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone());
        _server = new DashboardServer(_dns.Endpoint, "shop.example");
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Viewer_reads_rates_per_stream_and_mailbox_provider_and_the_events_behind_a_spike()
    {
        await StoreAndRollUpAsync(Day());

        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer", new ViewportSize { Width = 1400, Height = 1600 });
        await page.GotoAsync($"{_server.BaseUrl}/sending");
        await DashboardPage.WaitForInteractivityAsync(page);

        await Assertions.Expect(page.Locator("[data-figure=volume]")).Not.ToHaveTextAsync("0");
        var outlook = page.Locator("[data-testid=rates] tr[data-stream=transactional][data-mailbox-provider=outlook]");
        await Assertions.Expect(outlook.Locator("[data-cell=block]")).ToHaveClassAsync("rate-bad");
        await Assertions.Expect(outlook.Locator("[data-cell=latency]")).ToContainTextAsync(" / ");
        await Assertions.Expect(page.Locator("[data-testid=rates] tr[data-stream=marketing][data-mailbox-provider=gmail] [data-cell=block]")).ToHaveTextAsync("0.0%");
        await Assertions.Expect(page.Locator("[data-testid=throttling] tr[data-code=outlook-s3150]")).ToContainTextAsync("block list");
        await Assertions.Expect(page.Locator("[data-testid=hour-chart] g.bar")).Not.ToHaveCountAsync(0);

        var burst = page.Locator($"[data-testid=minute-chart] g.bar[data-minute='{Burst:yyyy-MM-ddTHH:mm:ssZ}']");
        await Assertions.Expect(burst).ToHaveCountAsync(1);
        await burst.ClickAsync();

        var blocked = page.Locator("[data-testid=minute-events] tr[data-kind=Blocked]");
        await Assertions.Expect(blocked).ToHaveCountAsync(40);
        await Assertions.Expect(blocked.First.Locator("td.hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{12}…$"));
        await Assertions.Expect(blocked.First).ToContainTextAsync("S3150");
        Assert.DoesNotContain("@outlook.com", await page.ContentAsync(), StringComparison.Ordinal);
        await DashboardPage.ScreenshotAsync(page, "sending");

        // The Overview's Sending column for the domain.
        await page.GotoAsync($"{_server.BaseUrl}/");
        await Assertions.Expect(page.Locator("tr[data-domain='shop.example'] [data-testid=sending] [data-cell=sent]")).ToContainTextAsync("sent");
    }

    private async Task StoreAndRollUpAsync(IEnumerable<SendEventRow> events)
    {
        var contexts = _server.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.AddRange(events);
            await db.SaveChangesAsync();
        }

        // Rolled up here with a private stand-in classifier (the service's own processor needs the sources' classifier).
        var processor = new SendEventProcessor(contexts, new WellKnownMailboxProviders(), TimeProvider.System);
        while ((await processor.ProcessBatchAsync(5000)).Events > 0)
        {
        }
    }

    /// <summary>A day of sending: every minute of the last hour, a few minutes of each earlier hour, and 40 Outlook blocks in the burst minute.</summary>
    private static IEnumerable<SendEventRow> Day()
    {
        var random = new Random(15);
        for (var minutesAgo = 24 * 60; minutesAgo >= 0; minutesAgo--)
        {
            var minute = ThisMinute.AddMinutes(-minutesAgo);
            if (minutesAgo > 60 && minute.Minute % 10 != 0)
            {
                continue;
            }

            var weight = minutesAgo > 60 ? 10 : 1;
            foreach (var (stream, domain, perMinute) in new[] { ("transactional", "gmail.com", 6), ("transactional", "outlook.com", 3), ("transactional", "yahoo.com", 2), ("marketing", "gmail.com", 12), ("marketing", "yahoo.com", 8) })
            {
                for (var i = 0; i < perMinute * weight / 2; i++)
                {
                    var at = minute.AddSeconds(random.Next(0, 60));
                    var roll = random.NextDouble();
                    var kind = roll < 0.9 ? SendEventKind.Delivered : roll < 0.95 ? SendEventKind.Deferred : roll < 0.98 ? SendEventKind.SoftBounce : SendEventKind.Open;
                    yield return Event(at, stream, domain, kind, kind == SendEventKind.Delivered && stream == "transactional" ? random.Next(800, 40_000) : null);
                }
            }
        }

        for (var i = 0; i < 40; i++)
        {
            var e = Event(Burst.AddSeconds(i), "transactional", "outlook.com", SendEventKind.Blocked, null);
            e.SmtpCode = 550;
            e.EnhancedStatus = "5.7.1";
            e.Diagnostic = "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).";
            yield return e;
        }
    }

    private static SendEventRow Event(DateTimeOffset at, string stream, string domain, SendEventKind kind, long? latencyMs) => new()
    {
        Provider = stream == "transactional" ? "postmark" : "sendgrid",
        Source = stream == "transactional" ? "postmark" : "sendgrid-main",
        ProviderEventId = Guid.NewGuid().ToString("N"),
        Stream = stream,
        SendingDomain = "shop.example",
        Kind = kind,
        OccurredAt = at,
        ReceivedAt = at.AddSeconds(3),
        RecipientHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        RecipientDomain = domain,
        MessageId = $"<{Guid.NewGuid():N}@shop.example>",
        DeliveryLatencyMs = latencyMs,
        SmtpCode = kind == SendEventKind.Deferred ? 421 : null,
        Diagnostic = kind == SendEventKind.Deferred ? "421 4.7.0 Try again later" : null,
    };

    /// <summary>A private stand-in of the sources' mailbox-provider classifier: a fixed table of the test's domains.</summary>
    private sealed class WellKnownMailboxProviders : IMailboxProviderClassifier
    {
        public ValueTask<string> ClassifyAsync(string recipientDomain, CancellationToken cancellationToken) => ValueTask.FromResult(recipientDomain switch
        {
            "gmail.com" => "gmail",
            "yahoo.com" => "yahoo",
            "outlook.com" => "outlook",
            _ => "other",
        });
    }
}
