using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts;
using Deliverability.Core.Storage;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using MudBlazor;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>bUnit tests of the Alerts page over the real service's alert store (alerts written straight into its database).</summary>
public sealed class AlertsPageTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // No evaluation during the test (the first runs after 10 minutes): the rows written here stay as written.
        // No evaluation after the first (the next runs after 10 minutes). The engine reads the stored alerts once, at its
        // first use (forced here by an acknowledge of nothing): the rows written after that stay as written.
        _service = StartService(("Monitor:Alerts:EvaluationInterval", "00:10:00"));
        Assert.Equal(AcknowledgeResult.NotFound, await _service.Services.GetRequiredService<AlertAcknowledgements>().AcknowledgeAsync("none", "test"));
        var contexts = _service.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var since = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        db.Add(Alert("f-spf", AlertState.Firing, "spf", since, "SPF of shop.test is error", "Publish one TXT record"));
        db.Add(Alert("f-dkim", AlertState.Resolved, "dkim", since.AddHours(-3), "DKIM of shop.test is error", "Publish the key"));
        await db.SaveChangesAsync();

        _context = PageContext.Over(_service.Services);
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void Viewer_sees_the_firing_alert_with_summary_fix_and_labels_but_no_enabled_button_nor_silence_form()
    {
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<AlertsPage>();

        var row = page.WaitForElement("tr[data-fingerprint=f-spf]", TimeSpan.FromSeconds(30));
        Assert.Equal("firing", row.GetAttribute("data-state"));
        Assert.Contains("SPF of shop.test is error", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Fix: Publish one TXT record", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("check=spf, domain=shop.test, severity=critical", row.QuerySelector(".labels")!.TextContent, StringComparison.Ordinal);
        Assert.True(row.QuerySelector("[data-testid=acknowledge]")!.HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=create-silence]"));
        Assert.Empty(page.FindAll("tr[data-fingerprint=f-dkim]"));
        Assert.Contains("dkim", page.Find("tr[data-resolved=CheckFailing]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Operator_sees_an_enabled_acknowledge_button_and_the_silence_form()
    {
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<AlertsPage>();

        var button = page.WaitForElement("tr[data-fingerprint=f-spf] [data-testid=acknowledge]", TimeSpan.FromSeconds(30));
        Assert.False(button.HasAttribute("disabled"));
        Assert.Single(page.FindAll("[data-testid=create-silence]"));
    }

    [Fact]
    public void Acknowledge_is_refused_on_the_server_to_a_viewer_even_when_the_button_is_pressed()
    {
        // As if the circuit were scripted: the button is shown enabled, but the user holds only the Viewer role.
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
        var page = _context.Render<AlertsPage>();

        page.WaitForElement("tr[data-fingerprint=f-spf] [data-testid=acknowledge]", TimeSpan.FromSeconds(30)).Click();

        var snackbar = _context.Services.GetRequiredService<ISnackbar>();
        page.WaitForAssertion(() => Assert.Contains("Only Operators and administrators can acknowledge alerts.", snackbar.ShownSnackbars.Select(s => s.Message)), TimeSpan.FromSeconds(30));
        Assert.Empty(page.Find("tr[data-fingerprint=f-spf] [data-testid=acknowledged-by]").TextContent);
    }

    [Fact]
    public async Task Operator_silences_as_the_signed_in_user_and_a_comment_over_the_limit_is_refused_naming_the_field()
    {
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
        var page = _context.Render<AlertsPage>();
        var snackbar = _context.Services.GetRequiredService<ISnackbar>();
        page.WaitForElement("[data-testid=create-silence]", TimeSpan.FromSeconds(30));

        Input(page, "silence-matchers").Change("domain=shop.test");
        Input(page, "silence-comment").Change(new string('c', AlertInputLimits.MaxCommentLength + 1));
        page.Find("[data-testid=create-silence]").Click();

        page.WaitForAssertion(() => Assert.Contains("comment: at most 1000 characters (was 1001)", snackbar.ShownSnackbars.Select(s => s.Message)), TimeSpan.FromSeconds(30));
        Assert.Empty(await _service.Services.GetRequiredService<AlertStore>().ListSilencesAsync(includeExpired: true));

        Input(page, "silence-comment").Change("DNS migration");
        page.Find("[data-testid=create-silence]").Click();

        var row = page.WaitForElement("tr[data-silence]", TimeSpan.FromSeconds(30));
        Assert.Contains("olga", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("olga", Assert.Single(await _service.Services.GetRequiredService<AlertStore>().ListSilencesAsync(includeExpired: false)).CreatedBy);
    }

    [Fact]
    public async Task A_regex_matcher_with_a_comma_in_its_repetition_is_one_matcher_of_the_silence()
    {
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
        var page = _context.Render<AlertsPage>();
        page.WaitForElement("[data-testid=create-silence]", TimeSpan.FromSeconds(30));

        Input(page, "silence-matchers").Change("check=~a{1,3}, domain=shop.test");
        Input(page, "silence-comment").Change("DNS migration");
        page.Find("[data-testid=create-silence]").Click();

        page.WaitForElement("tr[data-silence]", TimeSpan.FromSeconds(30));
        var silence = Assert.Single(await _service.Services.GetRequiredService<AlertStore>().ListSilencesAsync(includeExpired: false));
        Assert.Equal(["check=~\"a{1,3}\"", "domain=\"shop.test\""], SilenceMatchers.Texts(silence));
    }

    [Fact]
    public async Task A_stored_silence_that_breaks_todays_rules_is_listed_as_not_applied_with_the_reason()
    {
        var contexts = _service.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            db.Add(new SilenceRow
            {
                Id = "lookahead",
                MatchersJson = AlertJson.Write(["check=~\"(?!spf).*\""]),
                StartsAt = now.AddMinutes(-1),
                EndsAt = now.AddHours(1),
                CreatedBy = "alice",
                Comment = "stored by an earlier release",
                CreatedAt = now,
                UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<AlertsPage>();

        var problem = page.WaitForElement("tr[data-silence=lookahead] [data-testid=silence-problem]", TimeSpan.FromSeconds(30));
        Assert.StartsWith("not applied: 'check=~\"(?!spf).*\"': the regex cannot be matched in linear time", problem.TextContent.Trim(), StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<AlertsPage> page, string testId) =>
        page.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    private static AlertRow Alert(string fingerprint, AlertState state, string check, DateTimeOffset since, string summary, string fix) => new()
    {
        Fingerprint = fingerprint,
        AlertName = "CheckFailing",
        State = state,
        Severity = "critical",
        LabelsJson = AlertJson.Write(new Dictionary<string, string> { ["alertname"] = "CheckFailing", ["check"] = check, ["domain"] = "shop.test", ["severity"] = "critical" }),
        AnnotationsJson = AlertJson.Write(new Dictionary<string, string> { ["summary"] = summary, ["fix"] = fix }),
        ActiveSince = since,
        StartsAt = since,
        EndsAt = state == AlertState.Resolved ? since.AddHours(1) : null,
        UpdatedAt = since,
    };
}
