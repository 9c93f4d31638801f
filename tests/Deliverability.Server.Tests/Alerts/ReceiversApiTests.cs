using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Deliverability.Server.Alerts;
using Deliverability.Testing.Http;
using Deliverability.Testing.Logging;

namespace Deliverability.Server.Tests.Alerts;

/// <summary><c>/api/alerts/receivers</c>: the list without secrets, test notifications to real receivers, recent attempts.</summary>
public sealed class ReceiversApiTests : ServiceFixture
{
    private const string RoutingKey = "PDR0UT1NGKEY00000000000000000000";
    private const string SmtpPassword = "Sm7pPa55w0rd";

    private TestHttpReceiver _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await TestHttpReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    private string SecretUrl => _receiver.Url("services/T000/B000/S3CR3TT0KEN");

    private (string, string?)[] Receivers() =>
    [
        ("Monitor:Alerts:Receivers:0:Name", "ops-webhook"),
        ("Monitor:Alerts:Receivers:0:Type", "webhook"),
        ("Monitor:Alerts:Receivers:0:Url", SecretUrl),
        ("Monitor:Alerts:Receivers:1:Name", "oncall"),
        ("Monitor:Alerts:Receivers:1:Type", "pagerduty"),
        ("Monitor:Alerts:Receivers:1:Url", _receiver.Url("v2/enqueue")),
        ("Monitor:Alerts:Receivers:1:RoutingKey", RoutingKey),
        ("Monitor:Alerts:Receivers:1:SendResolved", "false"),
        ("Monitor:Alerts:Receivers:2:Name", "ops-mail"),
        ("Monitor:Alerts:Receivers:2:Type", "email"),
        ("Monitor:Alerts:Receivers:2:Email:Host", "smtp.internal.example"),
        ("Monitor:Alerts:Receivers:2:Email:User", "alerts"),
        ("Monitor:Alerts:Receivers:2:Email:Password", SmtpPassword),
        ("Monitor:Alerts:Receivers:2:Email:From", "monitor@example.com"),
        ("Monitor:Alerts:Receivers:2:Email:To:0", "oncall@example.com"),
        ("Monitor:Alerts:Receivers:3:Name", "broken"),
        ("Monitor:Alerts:Receivers:3:Type", "slack"),
        ("Monitor:Alerts:Receivers:3:Url", _receiver.Url("services/T000/B000/BR0K3NT0KEN")),
        ("Monitor:Alerts:Receivers:3:MaxAttempts", "2"),
        ("Monitor:Alerts:Delivery:InitialBackoff", "00:00:00.010"),
        ("Monitor:Alerts:Delivery:MaxBackoff", "00:00:00.050"),
    ];

    [Fact]
    public async Task Receivers_are_listed_by_name_and_type_without_any_secret()
    {
        await using var app = StartService(Receivers());

        var response = await app.CreateClient().GetAsync("/api/alerts/receivers");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receivers = JsonSerializer.Deserialize<ReceiverDto[]>(body, JsonSerializerOptions.Web)!;
        Assert.Equal(
            [("ops-webhook", "webhook", true), ("oncall", "pagerduty", false), ("ops-mail", "email", true), ("broken", "slack", true)],
            receivers.Select(r => (r.Name, r.Type, r.SendResolved)));
        foreach (var secret in new[] { "S3CR3TT0KEN", "BR0K3NT0KEN", _receiver.BaseAddress.Authority, RoutingKey, SmtpPassword, "smtp.internal.example" })
        {
            Assert.DoesNotContain(secret, body);
        }
    }

    [Fact]
    public async Task Test_notification_reaches_the_receiver_and_is_reported_delivered()
    {
        await using var app = StartService(Receivers());

        var response = await app.CreateClient().PostAsync("/api/alerts/receivers/ops-webhook/test", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<TestNotificationDto>();
        Assert.Equal(new TestNotificationDto("ops-webhook", "webhook", Delivered: true, Attempts: 1, Error: null), answer);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("/services/T000/B000/S3CR3TT0KEN", request.Path);
        using var payload = JsonDocument.Parse(request.Body);
        Assert.Equal("4", payload.RootElement.GetProperty("version").GetString());
        Assert.Equal("firing", payload.RootElement.GetProperty("status").GetString());
        Assert.Equal("TestNotification", payload.RootElement.GetProperty("alerts")[0].GetProperty("labels").GetProperty("alertname").GetString());
    }

    [Fact]
    public async Task Test_notification_to_pagerduty_triggers_an_event_with_the_routing_key()
    {
        await using var app = StartService(Receivers());

        var response = await app.CreateClient().PostAsync("/api/alerts/receivers/ONCALL/test", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var payload = JsonDocument.Parse(Assert.Single(_receiver.Requests).Body);
        Assert.Equal("trigger", payload.RootElement.GetProperty("event_action").GetString());
        Assert.Equal(RoutingKey, payload.RootElement.GetProperty("routing_key").GetString());
        Assert.Equal("info", payload.RootElement.GetProperty("payload").GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Webhook_receiver_added_in_the_dashboard_is_listed_without_its_url_and_gets_the_test_notification()
    {
        await using var app = StartService([.. Receivers(), ("Secrets:KeysFolder", Path.Combine(DataFolder, "keys"))]);
        var client = app.CreateClient();
        var catalog = app.Services.GetRequiredService<Deliverability.Core.Alerts.Notifications.AlertReceiverCatalog>();
        var added = await catalog.SaveAsync(new() { Name = "team-hook", Type = "webhook", Url = _receiver.Url("hooks/D4SHB0ARDT0KEN") }, isNew: true, "admin", default);
        Assert.True(added.IsSaved);
        // What the alert engine routes to when the root route names no receivers: the dashboard one is among them.
        Assert.Contains("team-hook", app.Services.GetRequiredService<Deliverability.Core.Alerts.IAlertNotificationSender>().Receivers);

        var response = await client.PostAsync("/api/alerts/receivers/team-hook/test", null);
        var list = await client.GetStringAsync("/api/alerts/receivers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/hooks/D4SHB0ARDT0KEN", Assert.Single(_receiver.Requests).Path);
        var receivers = JsonSerializer.Deserialize<ReceiverDto[]>(list, JsonSerializerOptions.Web)!;
        Assert.Equal(("team-hook", "webhook", "dashboard"), receivers.Select(r => (r.Name, r.Type, r.Origin)).Last());
        Assert.All(receivers.SkipLast(1), r => Assert.Equal("configuration", r.Origin));
        Assert.DoesNotContain("D4SHB0ARDT0KEN", list, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.BaseAddress.Authority, list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_receiver_is_404_naming_the_configured_ones()
    {
        await using var app = StartService(Receivers());

        var response = await app.CreateClient().PostAsync("/api/alerts/receivers/nobody/test", null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nobody' is not a configured receiver (Monitor:Alerts:Receivers: ops-webhook, oncall, ops-mail, broken)", body);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Failed_test_is_502_with_the_error_and_no_secret_in_the_answer_or_the_logs()
    {
        _receiver.Reply(new ReceiverReply(500), new ReceiverReply(500));
        var logs = new CapturingLoggerProvider();
        await using var service = StartService(Receivers());
        await using var app = service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));

        var response = await app.CreateClient().PostAsync("/api/alerts/receivers/broken/test", null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(2, problem.RootElement.GetProperty("attempts").GetInt32());
        Assert.Contains("HTTP 500", problem.RootElement.GetProperty("error").GetString());
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Contains(logs.Entries, e => e.Message.Contains("Notification to broken (slack) failed on attempt 2/2: HTTP 500", StringComparison.Ordinal));
        foreach (var secret in new[] { "BR0K3NT0KEN", _receiver.Url("services/T000/B000/BR0K3NT0KEN") })
        {
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain(secret, logs.AllText);
        }
    }

    [Fact]
    public async Task Attempts_of_a_test_are_listed_newest_first()
    {
        _receiver.Reply(new ReceiverReply(503));
        await using var app = StartService(Receivers());
        var client = app.CreateClient();
        (await client.PostAsync("/api/alerts/receivers/ops-webhook/test", null)).EnsureSuccessStatusCode();

        var attempts = await client.GetFromJsonAsync<NotificationAttemptDto[]>("/api/alerts/receivers/attempts?receiver=ops-webhook");

        Assert.NotNull(attempts);
        Assert.Equal([(2, "delivered", (int?)200), (1, "retrying", 503)], attempts.Select(a => (a.Attempt, a.Result, a.StatusCode)));
        Assert.All(attempts, a => Assert.Equal(("webhook", "firing"), (a.Type, a.Status)));
    }

    [Fact]
    public async Task Attempts_limit_out_of_range_is_400()
    {
        await using var app = StartService(Receivers());

        var response = await app.CreateClient().GetAsync("/api/alerts/receivers/attempts?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Sender_registered_by_the_service_is_the_notifier()
    {
        await using var app = StartService(Receivers());

        var sender = app.Services.GetRequiredService<Deliverability.Core.Alerts.IAlertNotificationSender>();

        Assert.IsType<Deliverability.Core.Alerts.Notifications.NotificationSender>(sender);
        Assert.Equal(["ops-webhook", "oncall", "ops-mail", "broken"], sender.Receivers);
    }
}
