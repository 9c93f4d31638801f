using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// SendGrid's Event Webhook: a JSON array of events, signed with ECDSA P-256 over the timestamp header followed by the
/// raw body (<c>X-Twilio-Email-Event-Webhook-Signature</c>, base64 DER; <c>X-Twilio-Email-Event-Webhook-Timestamp</c>).
/// <c>sg_event_id</c> is the event id.
/// </summary>
public sealed class SendGridFormat(TimeProvider time) : ISendEventFormat
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public string Provider => "sendgrid";

    public ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken)
    {
        var timestamp = request.Header(TimestampHeader);
        var signature = request.Header(SignatureHeader);
        if (timestamp is null || signature is null)
        {
            return new(new HookOutcome.Unauthorized($"the {SignatureHeader} and {TimestampHeader} headers are required"));
        }

        if (!Verify(source.PublicKey, timestamp, signature, request.Body.Span))
        {
            return new(new HookOutcome.Unauthorized("the signature does not match the body and the configured public key"));
        }

        if (SignedTimestamp.Problem(timestamp, source.ReplayWindow, time.GetUtcNow()) is { } stale)
        {
            return new(new HookOutcome.Unauthorized(stale));
        }

        return new(HookOutcome.Parsed(Parse, request.Body));
    }

    /// <summary>Whether <paramref name="signature"/> is the ECDSA signature of timestamp + body under the public key.</summary>
    public static bool Verify(string? publicKey, string timestamp, string signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(publicKey) || timestamp.Length > 32 || signature.Length > 512)
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            var stamp = Encoding.UTF8.GetBytes(timestamp);
            var data = new byte[stamp.Length + body.Length];
            stamp.CopyTo(data, 0);
            body.CopyTo(data.AsSpan(stamp.Length));
            return key.VerifyData(data, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public static IReadOnlyList<SendEventDraft> Parse(ReadOnlyMemory<byte> body)
    {
        using var document = JsonFields.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new SendEventFormatException("body: a JSON array of events is expected");
        }

        var drafts = new List<SendEventDraft>();
        var index = 0;
        foreach (var e in document.RootElement.EnumerateArray())
        {
            if (Read(e, index) is { } draft)
            {
                drafts.Add(draft);
            }

            index++;
        }

        return drafts;
    }

    private static SendEventDraft? Read(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new SendEventFormatException($"[{index}]: an event object is expected");
        }

        var type = e.Text("event") ?? throw new SendEventFormatException($"[{index}].event: missing");
        var at = e.UnixTime("timestamp") ?? throw new SendEventFormatException($"[{index}].timestamp: a unix time is expected");
        var reason = e.Text("reason") ?? e.Text("response");
        var status = SmtpReply.EnhancedStatus(e.Text("status")) ?? SmtpReply.EnhancedStatus(reason);
        var code = SmtpReply.Code(reason);
        SendEventKind? kind = type switch
        {
            "processed" => SendEventKind.Accepted,
            "delivered" => SendEventKind.Delivered,
            "deferred" => SendEventKind.Deferred,
            "bounce" when e.Text("type") == "blocked" => SendEventKind.Blocked,
            "bounce" => SmtpReply.Failure(permanent: true, code, status, reason) == SendEventKind.Blocked ? SendEventKind.Blocked : SendEventKind.HardBounce,
            "dropped" => SendEventKind.Dropped,
            "open" => SendEventKind.Open,
            "click" => SendEventKind.Click,
            "spamreport" => SendEventKind.Complaint,
            "unsubscribe" or "group_unsubscribe" => SendEventKind.Unsubscribe,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var id = e.Text("sg_event_id") ?? DerivedEventId.Of(type, e.Text("sg_message_id"), e.Text("email"), e.Text("timestamp"), e.Text("attempt"));
        return new SendEventDraft
        {
            ProviderEventId = DerivedEventId.Bounded(id),
            Kind = kind.Value,
            OccurredAt = at,
            Recipient = e.Text("email"),
            Sender = e.Text("from"),
            SmtpCode = code,
            EnhancedStatus = status,
            Diagnostic = reason,
            MessageId = e.Text("smtp-id") ?? e.Text("sg_message_id"),
            Tags = e.Strings("category"),
            Campaign = e.Text("marketing_campaign_name") ?? e.Text("singlesend_name"),
        };
    }
}
