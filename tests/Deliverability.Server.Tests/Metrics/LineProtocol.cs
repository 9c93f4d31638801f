using System.Globalization;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>One InfluxDB line-protocol point, read back from a request body (the export's tags and fields carry no escaped characters).</summary>
internal sealed record LineProtocolPoint(string Measurement, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, string> Fields, long Timestamp)
{
    public static IReadOnlyList<LineProtocolPoint> ParseAll(string body) =>
        [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];

    /// <summary><c>measurement,tag=v,tag=v field=1i,field=2.5 1700000000000</c>.</summary>
    public static LineProtocolPoint Parse(string line)
    {
        var parts = line.Split(' ');
        Assert.True(parts.Length == 3, $"not measurement+tags, fields and a timestamp: {line}");
        var head = parts[0].Split(',');
        return new LineProtocolPoint(
            head[0],
            head.Skip(1).Select(Pair).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            parts[1].Split(',').Select(Pair).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public double Field(string name)
    {
        var text = Fields[name];
        return double.Parse(text.EndsWith('i') ? text[..^1] : text, CultureInfo.InvariantCulture);
    }

    private static KeyValuePair<string, string> Pair(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        Assert.True(equals > 0, $"not key=value: {text}");
        return new(text[..equals], text[(equals + 1)..]);
    }
}
