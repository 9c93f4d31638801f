namespace Deliverability.Core.SendEvents;

/// <summary><c>Monitor:SendEvents</c>: how events map to streams and which tags mark a critical message.</summary>
public sealed class SendEventsOptions
{
    public const string SectionName = "Monitor:SendEvents";

    /// <summary>Streams by match; the first that matches wins, else "default".</summary>
    public List<SendStreamOptions> Streams { get; set; } = [];

    /// <summary>Tags that mark a message critical.</summary>
    public List<string> CriticalTags { get; set; } = [];
}

/// <summary>A stream and the events it holds.</summary>
public sealed class SendStreamOptions
{
    public string Name { get; set; } = "";

    public List<string> Match { get; set; } = [];

    /// <summary>Transactional mail: its delivery latency is watched.</summary>
    public bool Transactional { get; set; }
}
