namespace Deliverability.Server.SendEvents.Sending;

/// <summary>Published when the processor rolled up stored events (how many, and the minutes they fell in), so live pages reload.</summary>
public sealed record SendingUpdated(int Events, IReadOnlyList<long> Minutes);
