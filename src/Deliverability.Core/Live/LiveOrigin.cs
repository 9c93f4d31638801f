namespace Deliverability.Core.Live;

/// <summary>Which events a subscriber of <see cref="LiveFeed{T}"/> hears: those of every node, or only this node's.</summary>
public enum LiveOrigin
{
    /// <summary>Every event, wherever it happened: what a page or a shared read model needs to be current.</summary>
    AnyNode,

    /// <summary>
    /// Only the events that happened on this node: for what must happen once per event across nodes, such as
    /// relaying it to the others, broadcasting it to SignalR clients through a backplane, or counting it.
    /// </summary>
    ThisNode,
}
