using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Audits;
using Deliverability.Server.Components.Shared;
using Deliverability.Server.Domains;
using Deliverability.Server.Overview;
using MudBlazor.Services;

namespace Deliverability.Server.Tests.Components;

/// <summary>bUnit tests of the dashboard's shared components, rendered without a server.</summary>
public sealed class ComponentTests : IDisposable
{
    private readonly BunitContext _context = new();

    public ComponentTests()
    {
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        _context.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(CheckStatus.Ok, "ok", "status-ok")]
    [InlineData(CheckStatus.Warning, "warning", "status-warning")]
    [InlineData(CheckStatus.Error, "error", "status-error")]
    [InlineData(null, "not audited", "status-none")]
    public void Status_pill_shows_the_status_in_words_and_colour(CheckStatus? status, string label, string css)
    {
        var pill = _context.Render<StatusPill>(p => p.Add(c => c.Status, status));

        var span = pill.Find("span.status-pill");
        Assert.Equal(label, span.TextContent);
        Assert.Contains(css, span.ClassList);
    }

    [Fact]
    public void Strip_is_padded_to_its_length_with_the_newest_change_last()
    {
        var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        StripMark[] marks = [new("spf", null, CheckStatus.Ok, at, "ok"), new("spf", CheckStatus.Ok, CheckStatus.Error, at.AddHours(1), "spf.missing")];

        var strip = _context.Render<ResultStrip>(p => p.Add(c => c.Marks, marks));

        var slots = strip.FindAll(".mark");
        Assert.Equal(DomainBoard.StripLength, slots.Count);
        Assert.Equal(DomainBoard.StripLength - 2, strip.FindAll(".mark.empty").Count);
        Assert.Contains("status-error", slots[^1].ClassList);
        Assert.Contains("spf: ok -> error (spf.missing)", slots[^1].GetAttribute("title"));
    }

    [Theory]
    [InlineData("2026-11-27", "today", "in 3 days")]            // Black Friday 2026 itself
    [InlineData("2026-11-01", "in 26 days", "in 29 days")]
    [InlineData("2026-11-29", "passed", "in 1 day")]            // the weekend between the two
    [InlineData("2026-12-01", "in 360 days", "in 363 days")]    // after Cyber Monday: next year's (26 Nov 2027)
    public void Countdown_counts_to_the_coming_black_friday_and_cyber_monday(string today, string blackFriday, string cyberMonday)
    {
        var countdown = _context.Render<PeakCountdown>(p => p.Add(c => c.Today, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(blackFriday, countdown.Find("[data-countdown='Black Friday']").TextContent);
        Assert.Equal(cyberMonday, countdown.Find("[data-countdown='Cyber Monday']").TextContent);
    }

    [Fact]
    public void Countdown_uses_the_server_clock_when_no_day_is_given()
    {
        var countdown = _context.Render<PeakCountdown>();

        Assert.Equal("today", countdown.Find("[data-countdown='Black Friday']").TextContent);
    }

    public void Dispose() => _context.Dispose();
}
