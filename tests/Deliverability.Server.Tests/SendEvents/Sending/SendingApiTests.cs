using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deliverability.Core.SendEvents;

namespace Deliverability.Server.Tests.SendEvents.Sending;

/// <summary><c>/api/sending</c>: the Sending page's figures from the rollups, for Viewers, with clear errors for bad queries.</summary>
public sealed class SendingApiTests : SendingService
{
    [Fact]
    public async Task Summary_series_throttling_and_the_events_of_a_minute_come_from_the_stored_events()
    {
        await using var app = StartSendingService();
        var client = app.CreateClientAs("Viewer");
        var minute = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, DateTimeOffset.UtcNow.Day, DateTimeOffset.UtcNow.Hour, DateTimeOffset.UtcNow.Minute, 0, TimeSpan.Zero).AddMinutes(-5);
        await StoreAsync(app, Steady(minute.AddMinutes(-10), minute.AddMinutes(3), 4, at => Event(at, SendEventKind.Delivered, "gmail.com", "transactional", latencyMs: 2_500)));
        await StoreAsync(app, Steady(minute, minute.AddMinutes(1), 6, at => Event(at, SendEventKind.Deferred, "yahoo.com", "transactional", status: "4.7.0",
            diagnostic: "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints")));
        await WaitUntilProcessedAsync(app);

        var summary = await client.GetFromJsonAsync<JsonElement>("/api/sending/summary?window=1h");
        var series = await client.GetFromJsonAsync<JsonElement>("/api/sending/series?window=1h&step=1m&mailboxProvider=gmail");
        var throttling = await client.GetFromJsonAsync<JsonElement>("/api/sending/throttling?window=1h");
        var events = await client.GetFromJsonAsync<JsonElement>($"/api/sending/events?minute={Uri.EscapeDataString(minute.ToString("O"))}&kind=deferred&limit=10");

        var total = summary.GetProperty("total");
        Assert.Equal((52, 6), (total.GetProperty("delivered").GetInt64(), total.GetProperty("deferred").GetInt64()));
        var gmail = Assert.Single(summary.GetProperty("rows").EnumerateArray(), r => r.GetProperty("mailboxProvider").GetString() == "gmail");
        Assert.Equal(1.0, gmail.GetProperty("figures").GetProperty("deliveryRate").GetDouble());
        Assert.InRange(gmail.GetProperty("figures").GetProperty("latencyP95Ms").GetDouble(), 2_000, 5_000);
        Assert.Equal(13, series.GetProperty("points").GetArrayLength());
        Assert.All(series.GetProperty("points").EnumerateArray(), p => Assert.Equal(4, p.GetProperty("figures").GetProperty("delivered").GetInt64()));
        var code = Assert.Single(throttling.EnumerateArray());
        Assert.Equal(("yahoo-tss04", "TSS04", 6), (code.GetProperty("code").GetString(), code.GetProperty("providerCode").GetString(), code.GetProperty("count").GetInt64()));
        Assert.Equal(6, events.GetProperty("events").GetArrayLength());
        var first = events.GetProperty("events")[0];
        Assert.Equal(("Deferred", "yahoo", "yahoo-tss04"), (first.GetProperty("kind").GetString(), first.GetProperty("mailboxProvider").GetString(), first.GetProperty("throttlingCode").GetString()));
        Assert.Matches("^[0-9a-f]{64}$", first.GetProperty("recipientHash").GetString()!);
        Assert.DoesNotContain("@gmail.com", summary.GetRawText() + events.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/sending/summary?window=forever", "window")]
    [InlineData("/api/sending/summary?window=90d", "window")]
    [InlineData("/api/sending/summary?to=yesterday", "to")]
    [InlineData("/api/sending/series?window=31d&step=1m", "step")]
    [InlineData("/api/sending/series?step=0m", "step")]
    [InlineData("/api/sending/events", "minute")]
    [InlineData("/api/sending/events?minute=2026-11-27T14:05:00Z&kind=exploded", "kind")]
    [InlineData("/api/sending/events?minute=2026-11-27T14:05:00Z&limit=100000", "limit")]
    public async Task A_bad_query_is_a_problem_naming_its_parameter(string url, string parameter)
    {
        await using var app = StartSendingService();

        var response = await app.CreateClientAs("Viewer").GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith(parameter + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_callers_are_refused()
    {
        await using var app = StartSendingService();

        var response = await app.CreateAnonymousClient().GetAsync("/api/sending/summary");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
