namespace Deliverability.Server.Metrics;

/// <summary>
/// <c>Monitor:Influx</c>: where the metrics are written. Without <see cref="Url"/> nothing is written. The token and
/// the password are secrets: read from configuration (environment variables), never logged, never shown back.
/// </summary>
public sealed class InfluxOptions
{
    public const string SectionName = "Monitor:Influx";

    /// <summary>The InfluxDB base URL (<c>http://influxdb:8086</c>); empty turns the export off.</summary>
    public string? Url { get; set; }

    /// <summary><c>2</c> (the v2 API <c>/api/v2/write</c> with org, bucket and token, through InfluxDB.Client) or <c>1</c> (InfluxDB 1.x <c>/write</c> with database, retention policy and an optional user).</summary>
    public int ApiVersion { get; set; } = 2;

    public string? Org { get; set; }

    public string? Bucket { get; set; }

    /// <summary>The API token (v2), sent as <c>Authorization: Token ...</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The database (v1).</summary>
    public string? Database { get; set; }

    /// <summary>The retention policy (v1); empty for the database's default.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>The user (v1), with <see cref="Password"/>, sent as basic authentication; empty when auth is off.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How often the measurements gathered are written, each series as one point per interval.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many points per write request.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Points kept while InfluxDB cannot be reached; past this the oldest are dropped (and counted).</summary>
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>How long one write may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tags added to every point, such as the node's name (<c>Monitor:Influx:Tags:node=a</c>).</summary>
    public Dictionary<string, string> Tags { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
