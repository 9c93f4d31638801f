using System.Text.Json;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// Mailjet's Event API: one event object per post, or an array of them (<c>Version: 2</c>), authenticated by basic auth in
/// the callback URL. Mailjet sends no event id: one is derived from the event's type, time, message and recipient.
/// </summary>
public sealed class MailjetFormat : ISendEventFormat
{
    public string Provider => "mailjet";

    public ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken)
    {
        if (!SharedSecret.BasicAuthMatches(request.Header("Authorization"), source.Username, source.Password))
        {
            return new(new HookOutcome.Unauthorized("basic auth: the user and password of the callback URL do not match"));
        }

        return new(HookOutcome.Parsed(Parse, request.Body));
    }

    public static IReadOnlyList<SendEventDraft> Parse(ReadOnlyMemory<byte> body)
    {
        using var document = JsonFields.Parse(body);
        var root = document.RootElement;
        var events = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            JsonValueKind.Object => [root],
            _ => throw new SendEventFormatException("body: an event object or an array of them is expected"),
        };
        var drafts = new List<SendEventDraft>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (Read(events[i], root.ValueKind == JsonValueKind.Array ? $"[{i}]." : "") is { } draft)
            {
                drafts.Add(draft);
            }
        }

        return drafts;
    }

    private static SendEventDraft? Read(JsonElement e, string at)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new SendEventFormatException($"{at}: an event object is expected".Replace(".:", ":", StringComparison.Ordinal));
        }

        var type = e.Text("event") ?? throw new SendEventFormatException($"{at}event: missing");
        var time = e.UnixTime("time") ?? throw new SendEventFormatException($"{at}time: a unix time is expected");
        var related = e.Text("error_related_to");
        var error = e.Text("error");
        var reply = e.Text("smtp_reply");
        var diagnostic = error is null ? reply : related is null ? error : $"{related}: {error}";
        SendEventKind? kind = type switch
        {
            "sent" => SendEventKind.Delivered,
            "open" => SendEventKind.Open,
            "click" => SendEventKind.Click,
            "bounce" when error == "greylisted" => SendEventKind.Deferred,
            "bounce" when related == "spam" => SendEventKind.Blocked,
            "bounce" => e.Flag("hard_bounce") ? SendEventKind.HardBounce : SendEventKind.SoftBounce,
            "blocked" when related == "spam" => SendEventKind.Blocked,
            "blocked" => SendEventKind.Dropped,
            "spam" => SendEventKind.Complaint,
            "unsub" => SendEventKind.Unsubscribe,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var message = e.Text("MessageID") ?? e.Text("Message_GUID");
        var campaign = e.Text("customcampaign") ?? e.Text("mj_campaign_id");
        return new SendEventDraft
        {
            ProviderEventId = DerivedEventId.Of("mailjet", type, e.Text("time"), message, e.Text("email"), e.Text("url")),
            Kind = kind.Value,
            OccurredAt = time,
            Recipient = e.Text("email"),
            SmtpCode = SmtpReply.Code(reply),
            EnhancedStatus = SmtpReply.EnhancedStatus(reply),
            Diagnostic = diagnostic,
            MessageId = message,
            Tags = e.Text("customcampaign") is { } custom ? [custom] : [],
            Campaign = campaign,
        };
    }
}
