using System.Net;
using System.Net.Http.Json;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Server.Tests.SendEvents.Ingest;

/// <summary>GDPR: addresses stored as keyed hashes, and <c>DELETE /api/recipients/{address}</c> (Admin) erasing one person.</summary>
public sealed class RecipientErasureTests : HooksFixture
{
    [Fact]
    public async Task Erasing_a_recipient_deletes_their_events_and_quarantined_bodies_and_only_theirs()
    {
        await using var app = StartHooks();
        var anonymous = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        await anonymous.SendAsync(SendGrid.Request("/hooks/sendgrid-main", EspPayloads.SendGridBatch(now), now));
        await anonymous.SendAsync(SendGrid.Request("/hooks/sendgrid-main", $"[{EspPayloads.SendGridDelivered(now, "other-1", "someone@else.org")}]", now));
        await anonymous.SendAsync(SendGrid.Request("/hooks/sendgrid-main", """[{"email":"Example@Test.com","event":"delivered"}]""", now));
        var stored = await EventsAsync(app);
        Assert.DoesNotContain(stored, e => e.RecipientHash!.Contains('@', StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs("Operator").DeleteAsync("/api/recipients/example@test.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/recipients/example@test.com")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClientAs("Admin").DeleteAsync("/api/recipients/not-an-address")).StatusCode);
        var erased = await app.CreateClientAs("Admin").DeleteAsync("/api/recipients/EXAMPLE@test.com");

        Assert.Equal(new RecipientErasure(10, 1), await erased.Content.ReadFromJsonAsync<RecipientErasure>());
        var left = Assert.Single(await EventsAsync(app));
        Assert.Equal("else.org", left.RecipientDomain);
        Assert.Empty(await QuarantineAsync(app));
    }
}
