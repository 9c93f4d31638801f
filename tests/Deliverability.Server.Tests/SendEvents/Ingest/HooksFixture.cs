using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.SendEvents;
using Deliverability.Core.Storage;
using Deliverability.Server.SendEvents;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Server.Tests.SendEvents.Ingest;

/// <summary>The service with one source of each provider, SNS served by the test's own signer, and readers of what was stored.</summary>
public abstract class HooksFixture : ServiceFixture
{
    public const string HashKey = "test-recipient-hash-key-0123456789";
    public const string MailgunKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    public const string Topic = "arn:aws:sns:eu-west-1:123456789012:ses-events";
    public const string GenericToken = "generic-token-0123456789abcdef";
    public const string PostmarkSecret = "postmark-secret-0123456789";

    protected SendGridSigner SendGrid { get; } = new();

    protected SnsSigner Sns { get; } = new();

    public override async Task DisposeAsync()
    {
        SendGrid.Dispose();
        Sns.Dispose();
        await base.DisposeAsync();
    }

    protected MonitorApplication StartHooks(params (string Key, string? Value)[] extra)
    {
        (string, string?)[] settings =
        [
            ("Monitor:SendEvents:RecipientHashKey", HashKey),
            ("Monitor:SendEvents:CriticalTags:0", "critical"),
            ("Monitor:SendEvents:Streams:0:Name", "transactional"),
            ("Monitor:SendEvents:Streams:0:Match:0", "tag:receipt"),
            ("Monitor:SendEvents:Streams:0:Match:1", "configset:transactional"),
            ("Monitor:SendEvents:Streams:0:Transactional", "true"),
            ("Monitor:SendEvents:Sources:0:Name", "sendgrid-main"),
            ("Monitor:SendEvents:Sources:0:Provider", "sendgrid"),
            ("Monitor:SendEvents:Sources:0:PublicKey", SendGrid.PublicKey),
            ("Monitor:SendEvents:Sources:1:Name", "mailgun"),
            ("Monitor:SendEvents:Sources:1:Provider", "mailgun"),
            ("Monitor:SendEvents:Sources:1:SigningKey", MailgunKey),
            ("Monitor:SendEvents:Sources:2:Name", "mailjet"),
            ("Monitor:SendEvents:Sources:2:Provider", "mailjet"),
            ("Monitor:SendEvents:Sources:2:Username", "mj"),
            ("Monitor:SendEvents:Sources:2:Password", "mj-password-123"),
            ("Monitor:SendEvents:Sources:3:Name", "ses"),
            ("Monitor:SendEvents:Sources:3:Provider", "ses"),
            ("Monitor:SendEvents:Sources:3:TopicArns:0", Topic),
            ("Monitor:SendEvents:Sources:4:Name", "postmark"),
            ("Monitor:SendEvents:Sources:4:Provider", "postmark"),
            ("Monitor:SendEvents:Sources:4:Username", "pm"),
            ("Monitor:SendEvents:Sources:4:Password", "pm-password-123"),
            ("Monitor:SendEvents:Sources:4:HeaderName", "X-Hook-Secret"),
            ("Monitor:SendEvents:Sources:4:HeaderValue", PostmarkSecret),
            ("Monitor:SendEvents:Sources:5:Name", "inhouse"),
            ("Monitor:SendEvents:Sources:5:Provider", "generic"),
            ("Monitor:SendEvents:Sources:5:Token", GenericToken),
            .. extra,
        ];
        var handler = Sns.Handler;
        return new MonitorApplication(DataFolder, Dns.Endpoint, Settings(settings), services =>
            services.AddHttpClient(SendEventsRegistration.SnsHttpClient).ConfigurePrimaryHttpMessageHandler(() => handler));
    }

    protected static async Task<List<SendEventRow>> EventsAsync(MonitorApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
        return await db.Set<SendEventRow>().OrderBy(r => r.Id).ToListAsync();
    }

    protected static async Task<List<SendEventQuarantineRow>> QuarantineAsync(MonitorApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
        return await db.Set<SendEventQuarantineRow>().OrderBy(r => r.Id).ToListAsync();
    }

    protected static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    protected static HttpRequestMessage Basic(string url, string body, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return request;
    }
}
