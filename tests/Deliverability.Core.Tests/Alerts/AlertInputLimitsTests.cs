using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>What a person or a client writes into the alerts is bounded, and whoever acts is recorded, a claimed name only as a note.</summary>
public sealed class AlertInputLimitsTests
{
    private static readonly DateTimeOffset InTwoHours = AlertTimeline.T0 + TimeSpan.FromHours(2);

    public static TheoryData<SilenceRequest, string> BadSilences => new()
    {
        { new SilenceRequest(["domain=a.test"], null, InTwoHours, "alice", new string('c', 1001)), "comment: at most 1000 characters (was 1001)" },
        { new SilenceRequest(["domain=a.test"], null, InTwoHours, "alice\u001b]0;owned\u0007", "x"), "createdBy: control characters are not accepted (found U+001B)" },
        { new SilenceRequest(["domain=a.test"], null, InTwoHours, "alice", "x", OnBehalfOf: new string('b', 201)), "createdBy: at most 200 characters (was 201)" },
        { new SilenceRequest([.. Enumerable.Range(0, 21).Select(i => $"domain=d{i}.test")], null, InTwoHours, "alice", "x"), "matchers: at most 20 matchers (was 21)" },
        { new SilenceRequest(["domain=a.test"], null, AlertTimeline.T0 + TimeSpan.FromDays(366), "alice", "x"), "endsAt: a silence lasts at most 365 days" },
        { new SilenceRequest(["domain=a.test"], AlertTimeline.T0 + TimeSpan.FromDays(400), AlertTimeline.T0 + TimeSpan.FromDays(401), "alice", "x"), "startsAt: must be at most 365 days ahead" },
        { new SilenceRequest(["domain=a.test"], DateTimeOffset.MinValue, InTwoHours, "alice", "x"), "endsAt: a silence lasts at most 365 days" },
        { new SilenceRequest(["domain=~a(?=b)"], null, InTwoHours, "alice", "x"), "matchers: 'domain=~a(?=b)': the regex cannot be matched in linear time" },
    };

    [Theory]
    [MemberData(nameof(BadSilences))]
    public async Task A_silence_beyond_the_limits_is_refused_naming_the_field(SilenceRequest request, string expected)
    {
        await using var t = await AlertTimeline.StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => t.Silences.CreateAsync(request));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await t.Store.ListSilencesAsync(includeExpired: true));
    }

    [Fact]
    public async Task A_name_the_client_gives_is_kept_as_a_note_never_as_who_acted()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Error));
        await t.EvaluateAsync();
        var alert = Assert.Single(await t.Store.ListAsync(new AlertFilter()));

        await t.Acknowledgements.AcknowledgeAsync(alert.Fingerprint, "api-key:chatops", onBehalfOf: "alice");
        var silence = await t.Silences.CreateAsync(new SilenceRequest(["domain=shop.test"], null, InTwoHours, "api-key:chatops", "DNS migration", OnBehalfOf: "bob"));

        Assert.Equal("api-key:chatops", (await t.Store.GetAsync(alert.Fingerprint))!.AcknowledgedBy);
        Assert.Equal("acknowledged by api-key:chatops on behalf of alice", (await t.Store.GetHistoryAsync(alert.Fingerprint, 10))[^1].Note);
        Assert.Equal(("api-key:chatops", "DNS migration (on behalf of bob)"), (silence.CreatedBy, silence.Comment));
    }
}
