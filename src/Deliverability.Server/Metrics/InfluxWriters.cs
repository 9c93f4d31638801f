using System.Net.Http.Headers;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;

namespace Deliverability.Server.Metrics;

/// <summary>Writes one batch of line protocol; throws when InfluxDB did not take it (the batch is then kept and retried).</summary>
internal interface IInfluxWriter : IDisposable
{
    Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken);

    /// <summary>Where it writes, for the logs: the URL and bucket or database, never a secret.</summary>
    string Target { get; }

    static IInfluxWriter Create(InfluxOptions options) =>
        options.ApiVersion == 1 ? new InfluxV1Writer(options) : new InfluxV2Writer(options);
}

/// <summary>InfluxDB 2 and later (and 1.8+ with its v2 compatibility API): <c>/api/v2/write</c> through InfluxDB.Client.</summary>
internal sealed class InfluxV2Writer : IInfluxWriter
{
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _writes;
    private readonly string _org;
    private readonly string _bucket;

    public InfluxV2Writer(InfluxOptions options)
    {
        _org = options.Org!;
        _bucket = options.Bucket!;
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url!)
        {
            Token = options.Token,
            Org = _org,
            Bucket = _bucket,
            Timeout = options.Timeout,
        });
        _writes = _client.GetWriteApiAsync();
        Target = $"{options.Url} bucket {_bucket}";
    }

    public string Target { get; }

    public Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken) =>
        _writes.WriteRecordsAsync([.. lines], WritePrecision.Ms, _bucket, _org, cancellationToken);

    public void Dispose() => _client.Dispose();
}

/// <summary>InfluxDB 1.x (Debian's 1.6): <c>/write?db=...&amp;rp=...&amp;precision=ms</c>, basic authentication when a user is set.</summary>
internal sealed class InfluxV1Writer : IInfluxWriter
{
    private readonly HttpClient _http;
    private readonly Uri _write;

    public InfluxV1Writer(InfluxOptions options)
    {
        _http = new HttpClient { Timeout = options.Timeout };
        var query = "db=" + Uri.EscapeDataString(options.Database!) + "&precision=ms";
        if (!string.IsNullOrWhiteSpace(options.RetentionPolicy))
        {
            query += "&rp=" + Uri.EscapeDataString(options.RetentionPolicy);
        }

        _write = new Uri(options.Url!.TrimEnd('/') + "/write?" + query);
        if (!string.IsNullOrEmpty(options.Username))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password)));
        }

        Target = $"{options.Url} database {options.Database}";
    }

    public string Target { get; }

    public async Task WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(_write, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"InfluxDB answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();
}
