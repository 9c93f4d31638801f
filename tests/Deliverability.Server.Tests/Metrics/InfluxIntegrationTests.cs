using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Deliverability.Core.Metrics;
using Deliverability.Server.Metrics;
using InfluxDB.Client;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>
/// Runs only when <c>INFLUX_URL</c> names a real InfluxDB (none is installable here as version 2; Debian's 1.6 serves
/// the 1.x mode): with <c>INFLUX_TOKEN</c>, <c>INFLUX_ORG</c> and <c>INFLUX_BUCKET</c> it writes through the v2 API and
/// reads back with Flux; with <c>INFLUX_DATABASE</c> instead it writes to 1.x's <c>/write</c> and reads back with InfluxQL.
/// </summary>
public sealed class InfluxIntegrationTests
{
    [InfluxFact]
    public async Task Points_written_to_a_real_influxdb_read_back_with_their_tags_and_counts()
    {
        var run = Guid.NewGuid().ToString("N");
        var options = InfluxFactAttribute.Options();
        options.Tags["test_run"] = run;
        using var services = new MetricsTestServices();
        using var export = new InfluxExport(Options.Create(options), services.Metrics, TimeProvider.System, NullLogger<InfluxExport>.Instance);
        export.Listen();

        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Imported);
        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Imported);
        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Duplicate);
        var flush = await export.FlushAsync(CancellationToken.None);
        Assert.Equal(0, flush.Buffered);

        var counts = options.ApiVersion == 2 ? await ReadV2Async(options, run) : await ReadV1Async(options, run);
        Assert.Equal(2, counts["imported"]);
        Assert.Equal(1, counts["duplicate"]);
    }

    private static async Task<Dictionary<string, double>> ReadV2Async(InfluxOptions options, string run)
    {
        using var client = new InfluxDBClient(options.Url!, options.Token!);
        var flux = $"""
            from(bucket: "{options.Bucket}") |> range(start: -1h)
              |> filter(fn: (r) => r._measurement == "deliverability_dmarc_reports" and r._field == "count" and r.test_run == "{run}")
            """;
        var tables = await client.GetQueryApi().QueryAsync(flux, options.Org);
        return tables.SelectMany(t => t.Records).ToDictionary(r => (string)r.GetValueByKey("outcome"), r => Convert.ToDouble(r.GetValue(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<Dictionary<string, double>> ReadV1Async(InfluxOptions options, string run)
    {
        using var http = new HttpClient();
        var query = $"SELECT sum(\"count\") FROM deliverability_dmarc_reports WHERE test_run = '{run}' GROUP BY outcome";
        var url = $"{options.Url!.TrimEnd('/')}/query?db={Uri.EscapeDataString(options.Database!)}&q={Uri.EscapeDataString(query)}";
        using var document = JsonDocument.Parse(await http.GetStringAsync(url));
        var series = document.RootElement.GetProperty("results")[0].GetProperty("series").EnumerateArray();
        return series.ToDictionary(s => s.GetProperty("tags").GetProperty("outcome").GetString()!, s => s.GetProperty("values")[0][1].GetDouble());
    }
}

/// <summary>A fact that is skipped, saying why, unless <c>INFLUX_URL</c> is set.</summary>
public sealed class InfluxFactAttribute : FactAttribute
{
    public InfluxFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("INFLUX_URL")))
        {
            Skip = "INFLUX_URL is not set: no InfluxDB to write to (set INFLUX_URL with INFLUX_TOKEN, INFLUX_ORG and INFLUX_BUCKET for InfluxDB 2, or with INFLUX_DATABASE for 1.x)";
        }
    }

    public static InfluxOptions Options()
    {
        var database = Environment.GetEnvironmentVariable("INFLUX_DATABASE");
        return new InfluxOptions
        {
            Url = Environment.GetEnvironmentVariable("INFLUX_URL"),
            ApiVersion = string.IsNullOrWhiteSpace(database) ? 2 : 1,
            Token = Environment.GetEnvironmentVariable("INFLUX_TOKEN"),
            Org = Environment.GetEnvironmentVariable("INFLUX_ORG"),
            Bucket = Environment.GetEnvironmentVariable("INFLUX_BUCKET"),
            Database = database,
            Username = Environment.GetEnvironmentVariable("INFLUX_USERNAME"),
            Password = Environment.GetEnvironmentVariable("INFLUX_PASSWORD"),
        };
    }
}
