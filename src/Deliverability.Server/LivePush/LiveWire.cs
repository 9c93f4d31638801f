using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deliverability.Server.LivePush;

/// <summary>
/// One event on the Redis channel: the node it happened on (so that node does not hear it twice), the feed's name and
/// the event as JSON.
/// </summary>
internal sealed record LiveEnvelope(string Node, string Feed, JsonElement Event);

/// <summary>How events are written to and read from the channel.</summary>
internal static class LiveWire
{
    /// <summary>The Redis channel every node publishes to and listens on.</summary>
    public const string Channel = "deliverability-monitor:live";

    /// <summary>The largest message read; the events are small records, so anything larger is not ours.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        MaxDepth = 16,
        // A message that lacks a field or nulls a non-nullable one is refused, not half-read.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static byte[] Write(LiveEnvelope envelope) => JsonSerializer.SerializeToUtf8Bytes(envelope, Json);

    /// <summary>The envelope in <paramref name="message"/>; throws <see cref="JsonException"/> when it is not one.</summary>
    public static LiveEnvelope Read(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessageBytes)
        {
            throw new JsonException($"a message of {message.Length} bytes (at most {MaxMessageBytes})");
        }

        var envelope = JsonSerializer.Deserialize<LiveEnvelope>(message, Json);
        return envelope is { Node.Length: > 0, Feed.Length: > 0 } ? envelope : throw new JsonException("no node or feed name");
    }
}
