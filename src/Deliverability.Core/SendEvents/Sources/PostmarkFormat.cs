using System.Text.Json;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// Postmark's webhooks: one record per post by <c>RecordType</c> (Bounce, Delivery, SpamComplaint, Open, Click,
/// SubscriptionChange), authenticated by basic auth in the URL and/or a secret custom header (both checked when both
/// are configured). Bounces are told apart by <c>TypeCode</c>.
/// </summary>
public sealed class PostmarkFormat : ISendEventFormat
{
    public string Provider => "postmark";

    public ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken)
    {
        var basic = source.Username is not null || source.Password is not null;
        var header = !string.IsNullOrEmpty(source.HeaderName);
        if (basic && !SharedSecret.BasicAuthMatches(request.Header("Authorization"), source.Username, source.Password))
        {
            return new(new HookOutcome.Unauthorized("basic auth: the user and password of the webhook URL do not match"));
        }

        if (header && !SharedSecret.Matches(request.Header(source.HeaderName!), source.HeaderValue))
        {
            return new(new HookOutcome.Unauthorized($"the {source.HeaderName} header does not hold the configured secret"));
        }

        if (!basic && !header)
        {
            return new(new HookOutcome.Unauthorized("the source has no credentials configured"));
        }

        return new(HookOutcome.Parsed(Parse, request.Body));
    }

    public static IReadOnlyList<SendEventDraft> Parse(ReadOnlyMemory<byte> body)
    {
        using var document = JsonFields.Parse(body);
        var e = document.RootElement;
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new SendEventFormatException("body: a record object is expected");
        }

        var record = e.Text("RecordType") ?? throw new SendEventFormatException("RecordType: missing");
        var message = e.Text("MessageID");
        var draft = record switch
        {
            "Bounce" or "SpamComplaint" => Bounce(e, record, message),
            "Delivery" => Other(e, SendEventKind.Delivered, "DeliveredAt", message, e.Text("Details")),
            "Open" => Other(e, SendEventKind.Open, "ReceivedAt", message, null),
            "Click" => Other(e, SendEventKind.Click, "ReceivedAt", message, null),
            "SubscriptionChange" when e.Flag("SuppressSending") => Other(e, SendEventKind.Unsubscribe, "ChangedAt", message, e.Text("SuppressionReason")),
            "SubscriptionChange" => null,
            _ => throw new SendEventFormatException($"RecordType: '{Shown(record)}' is not a Postmark record type"),
        };
        return draft is null ? [] : [draft];
    }

    private static SendEventDraft? Bounce(JsonElement e, string record, string? message)
    {
        var code = e.Integer("TypeCode");
        var details = e.Text("Details") ?? e.Text("Description");
        SendEventKind? kind = record == "SpamComplaint" ? SendEventKind.Complaint : code switch
        {
            1 or 100000 => SendEventKind.HardBounce,
            2 => SendEventKind.Deferred,
            16 => SendEventKind.Unsubscribe,
            256 or 2048 or 4096 => SendEventKind.SoftBounce,
            512 or 8192 or 100006 or 100009 => SendEventKind.Blocked,
            100001 => SendEventKind.Complaint,
            100002 or 100003 or 100007 or 100010 => SendEventKind.Dropped,
            // Subscribe, auto-responder, address change, open relay test, challenge, inbound error: not a send outcome.
            32 or 64 or 128 or 1024 or 16384 or 100008 => null,
            _ => SendEventKind.SoftBounce,
        };
        if (kind is null)
        {
            return null;
        }

        var at = e.Time("BouncedAt") ?? throw new SendEventFormatException("BouncedAt: a date and time is expected");
        var id = e.Text("ID") is { } bounceId ? $"{record}:{bounceId}" : DerivedEventId.Of(record, message, e.Text("Email"), e.Text("BouncedAt"));
        return Draft(e, kind.Value, at, DerivedEventId.Bounded(id), message, details, e.Text("Email"));
    }

    private static SendEventDraft Other(JsonElement e, SendEventKind kind, string timeField, string? message, string? details)
    {
        var at = e.Time(timeField) ?? throw new SendEventFormatException($"{timeField}: a date and time is expected");
        var recipient = e.Text("Recipient") ?? e.Text("Email");
        var id = DerivedEventId.Of(e.Text("RecordType"), message, recipient, e.Text(timeField), e.Text("OriginalLink"));
        return Draft(e, kind, at, id, message, details, recipient);
    }

    private static SendEventDraft Draft(JsonElement e, SendEventKind kind, DateTimeOffset at, string id, string? message, string? details, string? recipient) => new()
    {
        ProviderEventId = id,
        Kind = kind,
        OccurredAt = at,
        Recipient = recipient,
        Sender = e.Text("From"),
        SmtpCode = SmtpReply.Code(details),
        EnhancedStatus = SmtpReply.EnhancedStatus(details),
        Diagnostic = details,
        MessageId = message,
        Tags = e.Text("Tag") is { } tag ? [tag] : [],
        MessageStream = e.Text("MessageStream"),
    };

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
