using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// Amazon SES events delivered by SNS over HTTPS: the SNS envelope is verified (SignatureVersion 1 = SHA1withRSA, 2 =
/// SHA256withRSA, against the certificate of an SNS host), its topic must be one configured, a subscription confirmation
/// is confirmed (or recorded for the operator when outbound calls are off), and the SES event inside <c>Message</c> is
/// read: one event per recipient, with the SNS MessageId and the recipient's place as event id.
/// </summary>
public sealed class SesFormat(TimeProvider time, ISnsCertificates certificates, SnsSubscriptions subscriptions, IOptionsMonitor<SendEventsOptions> options) : ISendEventFormat
{
    public string Provider => "ses";

    public async ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonFields.Parse(request.Body);
        }
        catch (SendEventFormatException)
        {
            return new HookOutcome.Unauthorized("the body is not an SNS message, so it carries no signature");
        }

        using (document)
        {
            var sns = document.RootElement;
            var type = sns.Text("Type");
            var topic = sns.Text("TopicArn");
            if (type is null || topic is null)
            {
                return new HookOutcome.Unauthorized("Type and TopicArn: an SNS message is expected");
            }

            if (!source.TopicArns.Contains(topic, StringComparer.Ordinal))
            {
                return new HookOutcome.Unauthorized("TopicArn: not a topic configured for this source");
            }

            if (await VerifyAsync(sns, type, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return new HookOutcome.Unauthorized(problem);
            }

            if (sns.Time("Timestamp") is not { } at || SignedTimestamp.Problem(at, source.ReplayWindow, time.GetUtcNow()) is { } stale)
            {
                return new HookOutcome.Unauthorized("Timestamp: outside the replay window");
            }

            switch (type)
            {
                case "SubscriptionConfirmation":
                    if (!options.CurrentValue.OutboundCalls)
                    {
                        return new HookOutcome.Handled("subscription recorded: confirm it by opening its SubscribeURL", RecordForOperator: true);
                    }

                    return await subscriptions.ConfirmAsync(sns.Text("SubscribeURL"), cancellationToken).ConfigureAwait(false) is { } failed
                        ? new HookOutcome.Handled($"subscription not confirmed ({failed}): confirm it by opening its SubscribeURL", RecordForOperator: true)
                        : new HookOutcome.Handled("subscription confirmed");
                case "UnsubscribeConfirmation":
                    return new HookOutcome.Handled("unsubscribed");
                case "Notification":
                    try
                    {
                        return new HookOutcome.Events(ParseNotification(sns.Text("MessageId") ?? "", sns.Text("Message")));
                    }
                    catch (SendEventFormatException ex)
                    {
                        return new HookOutcome.Malformed(ex.Message);
                    }

                default:
                    return new HookOutcome.Malformed("Type: Notification, SubscriptionConfirmation or UnsubscribeConfirmation is expected");
            }
        }
    }

    /// <summary>Null when the SNS signature is good, else why not.</summary>
    private async Task<string?> VerifyAsync(JsonElement sns, string type, CancellationToken cancellationToken)
    {
        var version = sns.Text("SignatureVersion");
        var hash = version switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => default,
        };
        if (hash == default)
        {
            return "SignatureVersion: 1 or 2 is expected";
        }

        var certificateUrl = sns.Text("SigningCertURL");
        if (!SnsHost.IsAllowed(certificateUrl))
        {
            return "SigningCertURL: not an https URL on an sns.<region>.amazonaws.com host";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(sns.Text("Signature") ?? "");
        }
        catch (FormatException)
        {
            return "Signature: not base64";
        }

        // The certificate is the cache's: not disposed here.
        var certificate = await certificates.GetAsync(certificateUrl!, cancellationToken).ConfigureAwait(false);
        try
        {
            using var key = certificate?.GetRSAPublicKey();
            if (key is null)
            {
                return "SigningCertURL: the signing certificate could not be fetched";
            }

            var text = StringToSign(sns, type);
            return text is not null && key.VerifyData(Encoding.UTF8.GetBytes(text), signature, hash, RSASignaturePadding.Pkcs1)
                ? null
                : "Signature: does not match the message and the SNS signing certificate";
        }
        catch (CryptographicException)
        {
            return "SigningCertURL: not an RSA signing certificate";
        }
    }

    /// <summary>The text SNS signs: the named fields as "name\nvalue\n" in this order (Subject only when present).</summary>
    public static string? StringToSign(JsonElement sns, string type)
    {
        string[] fields = type == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            var value = sns.Get(field) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
            if (value is null)
            {
                if (field == "Subject")
                {
                    continue;
                }

                return null;
            }

            text.Append(field).Append('\n').Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The SES event inside an SNS notification's <c>Message</c>: one draft per recipient it names.</summary>
    public static IReadOnlyList<SendEventDraft> ParseNotification(string snsMessageId, string? message)
    {
        if (message is null)
        {
            throw new SendEventFormatException("Message: the SES event is missing");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            throw new SendEventFormatException("Message: not an SES event (not JSON)");
        }

        using (document)
        {
            var e = document.RootElement;
            var type = e.Text("eventType") ?? e.Text("notificationType") ?? throw new SendEventFormatException("Message.eventType: missing");
            var mail = e.Get("mail");
            var headers = mail?.Get("commonHeaders");
            var sender = headers?.Strings("from").FirstOrDefault() ?? mail?.Text("source");
            var messageId = headers?.Text("messageId") ?? mail?.Text("messageId");
            var tags = mail?.Get("tags") is { ValueKind: JsonValueKind.Object } tagObject
                ? tagObject.EnumerateObject().Where(p => !p.Name.StartsWith("ses:", StringComparison.Ordinal))
                    .SelectMany(p => p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(JsonFields.AsText) : [JsonFields.AsText(p.Value)])
                    .OfType<string>().Take(50).ToList()
                : [];
            var configurationSet = mail?.Get("tags")?.Strings("ses:configuration-set").FirstOrDefault();
            var mailTime = mail?.Time("timestamp");

            IEnumerable<(string? Recipient, SendEventKind Kind, DateTimeOffset? At, string? Diagnostic, string? Status, long? Latency)> recipients = type switch
            {
                "Bounce" => Recipients(e.Get("bounce"), "bouncedRecipients", r => BounceKind(e.Get("bounce")!.Value, r)),
                "Complaint" => Recipients(e.Get("complaint"), "complainedRecipients", _ => SendEventKind.Complaint),
                "DeliveryDelay" => Recipients(e.Get("deliveryDelay"), "delayedRecipients", _ => SendEventKind.Deferred),
                "Delivery" => Delivered(e.Get("delivery")),
                "Send" => Everyone(mail, SendEventKind.Accepted, mailTime),
                "Reject" => Everyone(mail, SendEventKind.Dropped, mailTime, e.Get("reject")?.Text("reason")),
                "Rendering Failure" => Everyone(mail, SendEventKind.Dropped, mailTime, e.Get("failure")?.Text("errorMessage")),
                "Open" => Everyone(mail, SendEventKind.Open, e.Get("open")?.Time("timestamp")),
                "Click" => Everyone(mail, SendEventKind.Click, e.Get("click")?.Time("timestamp")),
                "Subscription" => Everyone(mail, SendEventKind.Unsubscribe, e.Get("subscription")?.Time("timestamp")),
                _ => [],
            };

            var drafts = new List<SendEventDraft>();
            var index = 0;
            foreach (var r in recipients.Take(1000))
            {
                var at = r.At ?? mailTime ?? throw new SendEventFormatException($"Message: the {type} event has no timestamp");
                drafts.Add(new SendEventDraft
                {
                    ProviderEventId = DerivedEventId.Bounded($"{snsMessageId}:{index++}"),
                    Kind = r.Kind,
                    OccurredAt = at,
                    Recipient = r.Recipient,
                    Sender = sender,
                    SmtpCode = SmtpReply.Code(r.Diagnostic),
                    EnhancedStatus = SmtpReply.EnhancedStatus(r.Status) ?? SmtpReply.EnhancedStatus(r.Diagnostic),
                    Diagnostic = r.Diagnostic,
                    MessageId = messageId,
                    DeliveryLatencyMs = r.Latency,
                    Tags = tags,
                    ConfigurationSet = configurationSet,
                });
            }

            return drafts;
        }
    }

    private static SendEventKind BounceKind(JsonElement bounce, JsonElement recipient)
    {
        var subType = bounce.Text("bounceSubType");
        if (subType is "Suppressed" or "OnAccountSuppressionList")
        {
            return SendEventKind.Dropped;
        }

        var diagnostic = recipient.Text("diagnosticCode");
        var status = SmtpReply.EnhancedStatus(recipient.Text("status"));
        return bounce.Text("bounceType") == "Permanent"
            ? SmtpReply.Failure(permanent: true, SmtpReply.Code(diagnostic), status, diagnostic)
            : SendEventKind.SoftBounce;
    }

    private static IEnumerable<(string?, SendEventKind, DateTimeOffset?, string?, string?, long?)> Recipients(
        JsonElement? detail, string listName, Func<JsonElement, SendEventKind> kind)
    {
        if (detail?.Get(listName) is not { ValueKind: JsonValueKind.Array } list)
        {
            throw new SendEventFormatException($"Message: {listName} is expected");
        }

        var at = detail.Value.Time("timestamp");
        foreach (var r in list.EnumerateArray())
        {
            yield return (r.Text("emailAddress"), kind(r), at, r.Text("diagnosticCode"), r.Text("status"), null);
        }
    }

    private static IEnumerable<(string?, SendEventKind, DateTimeOffset?, string?, string?, long?)> Delivered(JsonElement? delivery)
    {
        if (delivery is not { } d)
        {
            throw new SendEventFormatException("Message: delivery is expected");
        }

        var at = d.Time("timestamp");
        var reply = d.Text("smtpResponse");
        var latency = d.Integer("processingTimeMillis");
        foreach (var recipient in d.Strings("recipients"))
        {
            yield return (recipient, SendEventKind.Delivered, at, reply, null, latency);
        }
    }

    private static IEnumerable<(string?, SendEventKind, DateTimeOffset?, string?, string?, long?)> Everyone(JsonElement? mail, SendEventKind kind, DateTimeOffset? at, string? diagnostic = null)
    {
        var destination = mail?.Strings("destination") ?? [];
        return destination.Count == 0
            ? [(null, kind, at, diagnostic, null, null)]
            : destination.Select(r => ((string?)r, kind, at, diagnostic, (string?)null, (long?)null));
    }
}
