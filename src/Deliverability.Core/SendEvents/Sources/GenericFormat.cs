using System.Text.Json;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>
/// The documented format for in-house MTAs (docs/send-events.md): one event object, an array of them, or
/// <c>{"events": [...]}</c>, with <c>Authorization: Bearer &lt;token&gt;</c>. Each event has <c>id</c>, <c>type</c> (a
/// kind in snake case: delivered, soft_bounce, ...) and <c>timestamp</c> (ISO 8601 or unix seconds); the rest is optional.
/// </summary>
public sealed class GenericFormat : ISendEventFormat
{
    public const int MaxEvents = 10_000;

    public string Provider => "generic";

    public ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken)
    {
        var authorization = request.Header("Authorization");
        var token = authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true ? authorization[7..].Trim() : null;
        if (!SharedSecret.Matches(token, source.Token))
        {
            return new(new HookOutcome.Unauthorized("Authorization: Bearer <token> with the source's token is required"));
        }

        return new(HookOutcome.Parsed(Parse, request.Body));
    }

    public static IReadOnlyList<SendEventDraft> Parse(ReadOnlyMemory<byte> body)
    {
        using var document = JsonFields.Parse(body);
        var root = document.RootElement;
        var (events, prefix) = root.ValueKind switch
        {
            JsonValueKind.Array => (root.EnumerateArray().ToList(), ""),
            JsonValueKind.Object when root.Get("events") is { ValueKind: JsonValueKind.Array } list => (list.EnumerateArray().ToList(), "events"),
            JsonValueKind.Object => ([root], (string?)null),
            _ => throw new SendEventFormatException("body: an event object, an array of them or {\"events\": [...]} is expected"),
        };
        if (events.Count > MaxEvents)
        {
            throw new SendEventFormatException($"body: at most {MaxEvents} events a request");
        }

        return [.. events.Select((e, i) => Read(e, prefix is null ? "" : $"{prefix}[{i}]."))];
    }

    private static SendEventDraft Read(JsonElement e, string at)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new SendEventFormatException($"{at.TrimEnd('.')}: an event object is expected");
        }

        var id = e.Text("id") ?? throw new SendEventFormatException($"{at}id: a unique event id is expected");
        var type = e.Text("type") ?? throw new SendEventFormatException($"{at}type: missing");
        if (!Kinds.TryGetValue(type, out var kind))
        {
            throw new SendEventFormatException($"{at}type: one of {string.Join(", ", Kinds.Keys)} is expected");
        }

        var time = e.Time("timestamp") ?? e.UnixTime("timestamp")
            ?? throw new SendEventFormatException($"{at}timestamp: an ISO 8601 time (2026-11-27T10:00:00Z) or unix seconds is expected");
        var diagnostic = e.Text("diagnostic");
        var code = e.Integer("smtp_code") is { } c and >= 200 and < 600 ? (int)c : SmtpReply.Code(diagnostic);
        return new SendEventDraft
        {
            ProviderEventId = DerivedEventId.Bounded(id),
            Kind = kind,
            OccurredAt = time,
            Recipient = e.Text("recipient"),
            Sender = e.Text("from") ?? e.Text("sending_domain"),
            SmtpCode = code,
            EnhancedStatus = SmtpReply.EnhancedStatus(e.Text("enhanced_status")) ?? SmtpReply.EnhancedStatus(diagnostic),
            Diagnostic = diagnostic,
            MessageId = e.Text("message_id"),
            DeliveryLatencyMs = e.Integer("latency_ms") is >= 0 and var latency ? latency : null,
            Tags = e.Strings("tags"),
            Campaign = e.Text("campaign"),
            MessageStream = e.Text("stream"),
        };
    }

    /// <summary>The <c>type</c> values, in snake case.</summary>
    public static IReadOnlyDictionary<string, SendEventKind> Kinds { get; } = new Dictionary<string, SendEventKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["accepted"] = SendEventKind.Accepted,
        ["delivered"] = SendEventKind.Delivered,
        ["deferred"] = SendEventKind.Deferred,
        ["soft_bounce"] = SendEventKind.SoftBounce,
        ["hard_bounce"] = SendEventKind.HardBounce,
        ["blocked"] = SendEventKind.Blocked,
        ["complaint"] = SendEventKind.Complaint,
        ["unsubscribe"] = SendEventKind.Unsubscribe,
        ["open"] = SendEventKind.Open,
        ["click"] = SendEventKind.Click,
        ["dropped"] = SendEventKind.Dropped,
    };
}
