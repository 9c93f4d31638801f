namespace Deliverability.Forecasting;

/// <summary>One observation: the start of its period (UTC) and the number of messages sent in it.</summary>
public readonly record struct VolumePoint(DateTimeOffset Timestamp, double Count);
