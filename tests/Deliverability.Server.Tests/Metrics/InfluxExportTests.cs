using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Audits;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Metrics;
using Deliverability.Server.Metrics;
using Deliverability.Testing.Http;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>The InfluxDB export against a real HTTP endpoint on 127.0.0.1 that records what it is sent.</summary>
public sealed class InfluxExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private TestHttpReceiver _influx = null!;

    public async Task InitializeAsync() => _influx = await TestHttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _influx.DisposeAsync();

    [Fact]
    public async Task Measurements_are_written_to_api_v2_write_with_the_token_as_line_protocol_one_point_per_series()
    {
        _influx.Reply(new ReceiverReply(204));
        using var services = new MetricsTestServices(_time);
        using var export = Export(services.Metrics, V2());
        export.Listen();

        services.Metrics.CheckCompleted("spf", CheckStatus.Ok, TimeSpan.FromMilliseconds(20));
        services.Metrics.CheckCompleted("spf", CheckStatus.Ok, TimeSpan.FromMilliseconds(40));
        services.Metrics.CheckCompleted("dmarc", CheckStatus.Error, TimeSpan.FromMilliseconds(5));
        services.Metrics.BlacklistAnswered("zen.spamhaus.org", BlacklistStatus.Listed);
        var flush = await export.FlushAsync(CancellationToken.None);

        Assert.Equal(0, flush.Dropped);
        Assert.Equal(0, flush.Buffered);
        var request = Assert.Single(_influx.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("/api/v2/write?", request.Path, StringComparison.Ordinal);
        Assert.Contains("org=monitor", request.Path, StringComparison.Ordinal);
        Assert.Contains("bucket=deliverability", request.Path, StringComparison.Ordinal);
        Assert.Contains("precision=ms", request.Path, StringComparison.Ordinal);
        Assert.Equal("Token influx-secret-token", request.Headers["Authorization"]);

        var points = LineProtocolPoint.ParseAll(request.Body);
        Assert.All(points, p => Assert.Equal(Now.ToUnixTimeMilliseconds(), p.Timestamp));
        Assert.All(points, p => Assert.Equal("a", p.Tags["node"]));
        var spf = Assert.Single(points, p => p.Measurement == "deliverability_audit_checks" && p.Tags["check"] == "spf");
        Assert.Equal("ok", spf.Tags["status"]);
        Assert.Equal(2, spf.Field("count"));
        var dmarc = Assert.Single(points, p => p.Measurement == "deliverability_audit_checks" && p.Tags["check"] == "dmarc");
        Assert.Equal("error", dmarc.Tags["status"]);
        Assert.Equal(1, dmarc.Field("count"));
        var duration = Assert.Single(points, p => p.Measurement == "deliverability_audit_check_duration" && p.Tags["check"] == "spf");
        Assert.Equal(2, duration.Field("count"));
        Assert.Equal(0.06, duration.Field("sum"), 6);
        Assert.Equal(0.02, duration.Field("min"), 6);
        Assert.Equal(0.04, duration.Field("max"), 6);
        var listed = Assert.Single(points, p => p.Measurement == "deliverability_blacklist_results");
        Assert.Equal(("zen.spamhaus.org", "listed"), (listed.Tags["zone"], listed.Tags["status"]));
        // Every point is an instrument of the registry with its documented fields.
        var known = DeliverabilityInstruments.All.ToDictionary(i => i.InfluxMeasurement);
        Assert.All(points, p => Assert.Equal(known[p.Measurement].InfluxFields.Order(), p.Fields.Keys.Order()));
    }

    [Fact]
    public async Task A_counter_writes_what_it_counted_in_each_interval_and_nothing_in_an_interval_without_counts()
    {
        using var services = new MetricsTestServices(_time);
        using var export = Export(services.Metrics, V2());
        export.Listen();

        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Imported);
        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Imported);
        await export.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Imported);
        await export.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await export.FlushAsync(CancellationToken.None);

        var reports = _influx.Requests.SelectMany(r => LineProtocolPoint.ParseAll(r.Body)).Where(p => p.Measurement == "deliverability_dmarc_reports").ToList();
        Assert.Equal([2.0, 1.0], reports.Select(p => p.Field("count")));
        Assert.Equal([Now.ToUnixTimeMilliseconds(), Now.AddSeconds(10).ToUnixTimeMilliseconds()], reports.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task While_influx_fails_points_wait_and_are_written_when_it_answers_again()
    {
        _influx.Reply(new ReceiverReply(503), new ReceiverReply(503));
        using var services = new MetricsTestServices(_time);
        using var export = Export(services.Metrics, V2());
        export.Listen();

        services.Metrics.SendEventsStored("delivered", "mta-1", "gmail", 5);
        var first = await export.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        services.Metrics.SendEventsStored("bounced", "mta-1", "yahoo", 2);
        var second = await export.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        var third = await export.FlushAsync(CancellationToken.None);

        Assert.Equal(0, first.Written);
        Assert.True(first.Buffered > 0);
        Assert.Equal(0, second.Written);
        Assert.True(second.Buffered > first.Buffered);
        Assert.Equal(0, third.Buffered);
        Assert.Equal(0, first.Dropped + second.Dropped + third.Dropped);
        var written = LineProtocolPoint.ParseAll(_influx.Requests[^1].Body);
        var events = written.Where(p => p.Measurement == "deliverability_send_events").ToList();
        Assert.Equal(["bounced", "delivered"], events.Select(p => p.Tags["kind"]).Order());
        // Each point keeps the time of its interval, not the time it was finally written.
        Assert.Equal(Now.ToUnixTimeMilliseconds(), events.Single(p => p.Tags["kind"] == "delivered").Timestamp);
    }

    [Fact]
    public async Task When_the_buffer_is_full_the_oldest_points_are_dropped_and_counted_and_the_newest_are_written_later()
    {
        const int failedWrites = 5;
        _influx.Reply([.. Enumerable.Repeat(new ReceiverReply(503), failedWrites)]);
        using var services = new MetricsTestServices(_time);
        var counted = 0L;
        using var listener = Listen(services.Metrics, DeliverabilityInstruments.InfluxDropped, value => Interlocked.Add(ref counted, value));
        var options = V2();
        options.BufferCapacity = 10;
        options.BatchSize = 10;
        using var export = Export(services.Metrics, options);
        export.Listen();

        var dropped = 0;
        for (var interval = 0; interval < failedWrites; interval++)
        {
            for (var stream = 0; stream < 4; stream++)
            {
                services.Metrics.SendEventsStored("delivered", $"interval-{interval}", $"stream-{stream}");
            }

            var flush = await export.FlushAsync(CancellationToken.None);
            Assert.Equal(0, flush.Written);
            Assert.True(flush.Buffered <= options.BufferCapacity, $"{flush.Buffered} points buffered, capacity {options.BufferCapacity}");
            dropped += flush.Dropped;
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        // InfluxDB answers again: what the buffer kept is written.
        var recovered = await export.FlushAsync(CancellationToken.None);
        dropped += recovered.Dropped;
        Assert.Equal(0, recovered.Buffered);

        Assert.True(dropped >= (failedWrites * 4) - options.BufferCapacity, $"only {dropped} points dropped");
        Assert.Equal(dropped, Interlocked.Read(ref counted));
        var written = _influx.Requests.Skip(failedWrites).SelectMany(r => LineProtocolPoint.ParseAll(r.Body)).ToList();
        var providers = written.Where(p => p.Measurement == "deliverability_send_events").Select(p => p.Tags["provider"]).ToHashSet();
        Assert.DoesNotContain("interval-0", providers);
        Assert.Contains($"interval-{failedWrites - 1}", providers);
        Assert.Equal(4, written.Count(p => p.Measurement == "deliverability_send_events" && p.Tags["provider"] == $"interval-{failedWrites - 1}"));
        // The drops themselves reach InfluxDB as a point of their own.
        Assert.Contains(written, p => p.Measurement == "deliverability_export_influx_dropped" && p.Field("count") > 0);
    }

    [Fact]
    public async Task Influx_1_x_gets_its_write_endpoint_with_database_retention_policy_and_basic_authentication()
    {
        using var services = new MetricsTestServices(_time);
        using var export = Export(services.Metrics, new InfluxOptions
        {
            ApiVersion = 1,
            Database = "monitor",
            RetentionPolicy = "one_year",
            Username = "writer",
            Password = "pw-never-printed",
        });
        export.Listen();

        services.Metrics.PlacementSeedMeasured("gmail", Core.Placement.SeedPlacementStatus.Spam, TimeSpan.FromSeconds(12));
        await export.FlushAsync(CancellationToken.None);

        var request = Assert.Single(_influx.Requests);
        Assert.Equal("/write?db=monitor&precision=ms&rp=one_year", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:pw-never-printed")), request.Headers["Authorization"]);
        var points = LineProtocolPoint.ParseAll(request.Body);
        var seed = Assert.Single(points, p => p.Measurement == "deliverability_placement_seeds");
        Assert.Equal(("gmail", "spam", 1.0), (seed.Tags["provider"], seed.Tags["placement"], seed.Field("count")));
        Assert.Equal(12, Assert.Single(points, p => p.Measurement == "deliverability_placement_delivery_time").Field("sum"), 6);
    }

    [Fact]
    public async Task Without_a_url_nothing_is_listened_to_or_written()
    {
        using var services = new MetricsTestServices(_time);
        using var export = new InfluxExport(Options.Create(new InfluxOptions()), services.Metrics, _time, NullLogger<InfluxExport>.Instance);
        export.Listen();

        services.Metrics.DmarcReportReceived(DmarcReportOutcome.Invalid);
        var flush = await export.FlushAsync(CancellationToken.None);

        Assert.Equal(new InfluxFlush(0, 0, 0, 0), flush);
        Assert.Empty(_influx.Requests);
    }

    private static MeterListener Listen(DeliverabilityMetrics metrics, MetricInstrument instrument, Action<long> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (published, l) =>
            {
                if (ReferenceEquals(published.Meter, metrics.Meter) && published.Name == instrument.Name)
                {
                    l.EnableMeasurementEvents(published);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => measured(value));
        listener.Start();
        return listener;
    }

    private static InfluxOptions V2() => new()
    {
        ApiVersion = 2,
        Org = "monitor",
        Bucket = "deliverability",
        Token = "influx-secret-token",
        Tags = new() { ["node"] = "a" },
    };

    private InfluxExport Export(DeliverabilityMetrics metrics, InfluxOptions options)
    {
        options.Url ??= _influx.BaseAddress.ToString();
        return new InfluxExport(Options.Create(options), metrics, _time, NullLogger<InfluxExport>.Instance);
    }
}
