namespace Deliverability.Forecasting;

/// <summary>A volume history that cannot be used as is; the message is one line and names the line when known.</summary>
public sealed class VolumeHistoryException : Exception
{
    public VolumeHistoryException(string message, int? line = null)
        : base(line is { } number ? $"line {number}: {message}" : message)
    {
        Line = line;
    }

    public int? Line { get; }
}
