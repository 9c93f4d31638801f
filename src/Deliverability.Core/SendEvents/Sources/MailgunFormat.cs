using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// Mailgun's webhooks: one event per post, <c>{"signature": {timestamp, token, signature}, "event-data": {...}}</c>; the
/// signature is the hex HMAC-SHA256 of timestamp + token under the webhook signing key. <c>signature.token</c> is the
/// event id (<c>event-data.id</c> is unique only within a day), and a token is never accepted for a second event.
/// </summary>
public sealed class MailgunFormat(TimeProvider time, MailgunTokens tokens) : ISendEventFormat
{
    public string Provider => "mailgun";

    public ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonFields.Parse(request.Body);
        }
        catch (SendEventFormatException)
        {
            // The credentials are in the body: without them this is an unauthenticated post, and nothing of it is kept.
            return new(new HookOutcome.Unauthorized("the body is not JSON, so it carries no signature"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.Get("signature") is not { ValueKind: JsonValueKind.Object } signature)
            {
                return new(new HookOutcome.Unauthorized("signature: missing"));
            }

            var timestamp = signature.Text("timestamp");
            var token = signature.Text("token");
            if (timestamp is null || token is null || !Verify(source.SigningKey, timestamp, token, signature.Text("signature")))
            {
                return new(new HookOutcome.Unauthorized("the signature does not match the timestamp, token and signing key"));
            }

            if (SignedTimestamp.Problem(timestamp, source.ReplayWindow, time.GetUtcNow()) is { } stale)
            {
                return new(new HookOutcome.Unauthorized(stale));
            }

            if (root.Get("event-data") is not { ValueKind: JsonValueKind.Object } data)
            {
                return new(new HookOutcome.Malformed("event-data: an object is expected"));
            }

            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data.GetRawText())));
            if (!tokens.TryUse(token, fingerprint, source.ReplayWindow))
            {
                return new(new HookOutcome.Unauthorized("signature.token: already used for another event"));
            }

            try
            {
                return new(new HookOutcome.Events(Read(data, token) is { } draft ? [draft] : []));
            }
            catch (SendEventFormatException ex)
            {
                return new(new HookOutcome.Malformed(ex.Message));
            }
        }
    }

    public static bool Verify(string? signingKey, string timestamp, string token, string? signature)
    {
        if (string.IsNullOrEmpty(signingKey) || signature is null || signature.Length != 64 || timestamp.Length > 32 || token.Length > 256)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(timestamp + token));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static SendEventDraft? Read(JsonElement data, string token)
    {
        var type = data.Text("event") ?? throw new SendEventFormatException("event-data.event: missing");
        var at = data.UnixTime("timestamp") ?? throw new SendEventFormatException("event-data.timestamp: a unix time is expected");
        var status = data.Get("delivery-status");
        var code = status?.Integer("code") is { } c and >= 200 and < 600 ? (int)c : (int?)null;
        var text = status?.Text("message") is { } message ? message : status?.Text("description");
        if (status?.Text("description") is { } description && text != description)
        {
            text = text is null ? description : $"{text} {description}";
        }

        var enhanced = SmtpReply.EnhancedStatus(status?.Text("enhanced-code")) ?? SmtpReply.EnhancedStatus(text);
        var permanent = data.Text("severity") == "permanent";
        SendEventKind? kind = type switch
        {
            "accepted" => SendEventKind.Accepted,
            "delivered" => SendEventKind.Delivered,
            "failed" when data.Text("reason") is "suppress-bounce" or "suppress-complaint" or "suppress-unsubscribe" => SendEventKind.Dropped,
            "failed" => SmtpReply.Failure(permanent, code, enhanced, text, retried: !permanent),
            "rejected" => SendEventKind.Dropped,
            "opened" => SendEventKind.Open,
            "clicked" => SendEventKind.Click,
            "unsubscribed" => SendEventKind.Unsubscribe,
            "complained" => SendEventKind.Complaint,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var headers = data.Get("message")?.Get("headers");
        var campaigns = data.Get("campaigns") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(x => x.Text("name") ?? x.Text("id")).FirstOrDefault(n => n is not null)
            : null;
        return new SendEventDraft
        {
            ProviderEventId = DerivedEventId.Bounded(token),
            Kind = kind.Value,
            OccurredAt = at,
            Recipient = data.Text("recipient"),
            Sender = data.Get("envelope")?.Text("sender") ?? headers?.Text("from"),
            SmtpCode = code,
            EnhancedStatus = enhanced,
            Diagnostic = text,
            MessageId = headers?.Text("message-id"),
            Tags = data.Strings("tags"),
            Campaign = campaigns,
        };
    }
}
