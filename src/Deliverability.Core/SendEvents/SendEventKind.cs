namespace Deliverability.Core.SendEvents;

/// <summary>What happened to one message for one recipient, normalised across providers.</summary>
public enum SendEventKind { Accepted, Delivered, Deferred, SoftBounce, HardBounce, Blocked, Complaint, Unsubscribe, Open, Click, Dropped }
