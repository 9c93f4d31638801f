namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>A stream's forecast send volume, where a stored forecast covers the time asked.</summary>
public interface ISendVolumeForecasts
{
    /// <summary>The forecast messages of <paramref name="stream"/> from <paramref name="from"/> to <paramref name="to"/>; null without a stored forecast covering it.</summary>
    Task<double?> ExpectedAsync(string stream, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
