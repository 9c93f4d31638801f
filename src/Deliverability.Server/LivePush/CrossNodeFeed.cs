using System.Text.Json;
using Deliverability.Core.Live;

namespace Deliverability.Server.LivePush;

/// <summary>One live feed whose events cross nodes: its name on the channel, and how its events leave and arrive.</summary>
internal interface ICrossNodeFeed
{
    string Name { get; }

    /// <summary>Hands each event published on this node to <paramref name="send"/>, until disposed.</summary>
    IDisposable ForwardLocalEvents(Func<string, JsonElement, Task> send);

    /// <summary>Publishes an event of another node on the local feed; throws <see cref="JsonException"/> when it is not one.</summary>
    void DeliverFromAnotherNode(JsonElement payload);
}

internal sealed class CrossNodeFeed<T>(string name, LiveFeed<T> feed) : ICrossNodeFeed
    where T : class
{
    public string Name => name;

    public IDisposable ForwardLocalEvents(Func<string, JsonElement, Task> send) =>
        feed.Subscribe(e => send(name, JsonSerializer.SerializeToElement(e, LiveWire.Json)), LiveOrigin.ThisNode);

    public void DeliverFromAnotherNode(JsonElement payload) =>
        feed.PublishFromAnotherNode(payload.Deserialize<T>(LiveWire.Json) ?? throw new JsonException($"an empty {name} event"));
}
