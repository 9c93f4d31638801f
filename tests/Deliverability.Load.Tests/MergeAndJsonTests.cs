using System.Diagnostics;
using System.Text.Json.Nodes;
using Deliverability.Load.Running;

namespace Deliverability.Load.Tests;

public sealed class MergeAndJsonTests
{
    private static readonly DateTimeOffset RunStart = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
    private const long Origin = 1_000_000_000_000;

    private sealed record Sample(int Index, long Planned, long Start, long End, Response Response, Response Step);

    /// <summary>A deterministic recorded run: 3000 invocations over 5 s with a latency tail and some failures.</summary>
    private static List<Sample> RecordedSamples()
    {
        var random = new Random(42);
        var ticksPerMs = Stopwatch.Frequency / 1000;
        return [.. Enumerable.Range(0, 3000).Select(index =>
        {
            var planned = Origin + (index * 5 * Stopwatch.Frequency / 3000);
            var start = planned + (random.Next(100) < 5 ? random.Next(1, 400) * ticksPerMs : random.Next(0, 50) * ticksPerMs / 10);
            var end = start + (long)(ticksPerMs * (1 + (random.NextDouble() * random.NextDouble() * 300)));
            var response = (index % 17) switch
            {
                0 => Response.Smtp(451, message: "try later"),
                1 => Response.Fail(OutcomeClass.ConnectionReset, message: "reset"),
                _ => Response.Smtp(250, sizeBytes: 900 + (index % 7)),
            };
            return new Sample(index, planned, start, end, response, Response.Smtp(index % 23 == 0 ? 421 : 220));
        })];
    }

    private static ScenarioReport Build(IEnumerable<Sample> samples, IEnumerable<Sample>? dropped = null)
    {
        var stats = new ScenarioStats("submission", Origin, RunStart, Origin);
        foreach (var sample in samples)
        {
            stats.RecordStart(sample.Start, sample.Start - sample.Planned > Stopwatch.Frequency / 100);
            stats.Step("connect").Record(sample.Step, LatencyHistogram.Microseconds(sample.End - sample.Planned) / 3,
                LatencyHistogram.Microseconds(sample.End - sample.Start) / 3);
            stats.RecordInvocation(sample.Response, sample.Planned, sample.Start, sample.End);
        }

        foreach (var sample in dropped ?? [])
        {
            stats.RecordDropped(sample.Planned);
        }

        return ReportBuilder.Scenario(stats, "open", ["inject 600/1s for 5s"], Origin + (6 * Stopwatch.Frequency),
            [Threshold.Parse("p99 < 200ms"), Threshold.Parse("connect.error_rate < 1%"), Threshold.Parse("dropped < 1")], null);
    }

    private static RunReport Wrap(ScenarioReport scenario, string generator) => new()
    {
        RunId = "run-" + generator,
        TestName = "merge",
        Generators = [generator],
        StartedAt = scenario.StartedAt,
        EndedAt = scenario.EndedAt,
        Scenarios = [scenario],
    };

    [Fact]
    public void Merging_the_reports_of_a_split_run_equals_the_report_of_the_whole_run_exactly()
    {
        var samples = RecordedSamples();
        var whole = Build(samples, samples.Where(sample => sample.Index % 100 == 0));
        var first = Build(samples.Where(sample => sample.Index % 3 == 0), samples.Where(sample => sample.Index % 200 == 0));
        var second = Build(samples.Where(sample => sample.Index % 3 != 0), samples.Where(sample => sample.Index % 200 == 100));

        var merged = RunReport.Merge(Wrap(first, "generator-a"), Wrap(second, "generator-b"));

        var scenario = Assert.Single(merged.Scenarios);
        Assert.Equal(whole.Stats.ResponseTime.Histogram, scenario.Stats.ResponseTime.Histogram);
        Assert.Equal(whole.Stats.ServiceTime.Histogram, scenario.Stats.ServiceTime.Histogram);
        Assert.Equal(whole.Steps[0].Stats.ResponseTime.Histogram, scenario.Steps[0].Stats.ResponseTime.Histogram);
        Assert.Equal(Json(whole), Json(scenario));
        Assert.Equal(["generator-a", "generator-b"], merged.Generators);
        Assert.Equal(3000, scenario.Stats.Count);
        Assert.Equal(30, scenario.DroppedStarts);
        Assert.False(scenario.Thresholds.Single(verdict => verdict.Expression == "dropped < 1").Held);
        Assert.NotEqual(first.Stats.ResponseTime.P99Ms, scenario.Stats.ResponseTime.P99Ms);
    }

    [Fact]
    public void Merged_rates_are_over_the_union_window_and_series_align_by_wall_clock_second()
    {
        var samples = RecordedSamples();
        var early = Build(samples.Where(sample => sample.Index < 1500));
        var late = Build(samples.Where(sample => sample.Index >= 1500)) with
        {
            StartedAt = RunStart.AddSeconds(1),
            EndedAt = RunStart.AddSeconds(8),
        };

        var merged = RunReport.Merge(Wrap(early, "a"), Wrap(late, "b")).Scenarios[0];

        Assert.Equal(8, merged.DurationSeconds, precision: 9);
        Assert.Equal(3000 / 8.0, merged.Stats.Rps, precision: 9);
        Assert.Equal(merged.TimeSeries.Select(point => point.Time).Distinct().Count(), merged.TimeSeries.Count);
        Assert.Equal(3000, merged.TimeSeries.Sum(point => point.Completed));
        var second = merged.TimeSeries.Single(point => point.Time == RunStart.AddSeconds(2));
        Assert.Equal(
            early.TimeSeries.Single(point => point.Time == second.Time).Completed + late.TimeSeries.Single(point => point.Time == second.Time).Completed,
            second.Completed);
    }

    [Fact]
    public async Task Merging_two_real_runs_sums_their_counts()
    {
        var scenario = Scenario.Create("pair", _ => Task.FromResult(Response.Ok(statusCode: "202")))
            .WithLoadSimulations(Simulation.Inject(rate: 50, interval: TimeSpan.FromSeconds(1), during: TimeSpan.FromSeconds(1)));

        var reports = await Task.WhenAll(
            LoadRunner.RunAsync(scenario, new LoadRunOptions { GeneratorName = "one", Seed = 1 }),
            LoadRunner.RunAsync(scenario, new LoadRunOptions { GeneratorName = "two", Seed = 2 }));
        var merged = RunReport.Merge(reports);

        Assert.Equal(100, merged.Scenarios[0].Stats.Count);
        Assert.Equal(100, merged.Scenarios[0].Stats.StatusCodes["202"]);
        Assert.Equal(100, LatencyHistogram.Decode(merged.Scenarios[0].Stats.ResponseTime.Histogram).TotalCount);
        Assert.Equal(["one", "two"], merged.Generators);
    }

    [Fact]
    public void A_report_round_trips_through_json()
    {
        var samples = RecordedSamples();
        var report = Wrap(Build(samples, samples.Take(3)), "generator") with { StopReason = StopReason.ThresholdAbort, AbortedBy = "x: p99 < 1ms", Seed = 77 };

        var json = report.ToJson();
        var back = RunReport.FromJson(json);

        Assert.Equal(json, back.ToJson());
        var node = JsonNode.Parse(json)!;
        Assert.Equal(1, (int)node["schemaVersion"]!);
        Assert.Equal("thresholdAbort", (string)node["stopReason"]!);
        Assert.NotNull(node["scenarios"]![0]!["stats"]!["outcomes"]!["smtpAccepted"]);
        Assert.NotNull(node["scenarios"]![0]!["stats"]!["responseTime"]!["p99Ms"]);
        Assert.Equal(report.Scenarios[0].Stats.Outcomes[OutcomeClass.SmtpDeferred], back.Scenarios[0].Stats.Outcomes[OutcomeClass.SmtpDeferred]);
        Assert.Equal(report.Scenarios[0].TimeSeries.Count, back.Scenarios[0].TimeSeries.Count);
        Assert.Equal(report.Scenarios[0].Stats.ResponseTime.P999Ms, back.Scenarios[0].Stats.ResponseTime.ValueAtPercentileMs(99.9));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "no schemaVersion")]
    [InlineData("{\"schemaVersion\":99}", "schema version 99; this version reads 1")]
    [InlineData("{\"schemaVersion\":1,\"runId\":5}", "does not match the schema")]
    public void Bad_documents_are_refused_with_one_line(string json, string expected)
    {
        var exception = Assert.Throws<FormatException>(() => RunReport.FromJson(json));

        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Fact]
    public void A_histogram_claiming_a_huge_range_is_refused_before_it_is_decoded()
    {
        var huge = new HdrHistogram.LongHistogram(1, 1L << 40, 3); // 12 days of microseconds: beyond the engine's hour
        huge.RecordValue(5);
        var empty = LatencyHistogram.Encode(LatencyHistogram.NewPlain());
        var report = Wrap(Build(RecordedSamples().Take(10)), "a");
        var hostile = report with
        {
            Scenarios = [report.Scenarios[0] with { Stats = report.Scenarios[0].Stats with
            {
                ResponseTime = report.Scenarios[0].Stats.ResponseTime with { Histogram = EncodeForeign(huge) },
            } }],
        };

        var exception = Assert.Throws<FormatException>(() => RunReport.Merge(hostile, report));
        Assert.Contains("not of this engine's shape", exception.Message);
        var read = Assert.Throws<FormatException>(() => RunReport.FromJson(hostile.ToJson()));
        Assert.Contains("not of this engine's shape", read.Message);
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode("bm90IGEgaGlzdG9ncmFt"));
        Assert.Equal(0, LatencyHistogram.Decode(empty).TotalCount);
    }

    /// <summary>Encodes a histogram of any shape the way HdrHistogram does (the engine's Encode copies into its own shape).</summary>
    private static string EncodeForeign(HdrHistogram.LongHistogram histogram)
    {
        var buffer = HdrHistogram.Utilities.ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = HdrHistogram.HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var index = 0; index < length; index++)
        {
            bytes[index] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    private static string Json(ScenarioReport scenario) =>
        System.Text.Json.JsonSerializer.Serialize(scenario, RunReportJson.Options);
}
