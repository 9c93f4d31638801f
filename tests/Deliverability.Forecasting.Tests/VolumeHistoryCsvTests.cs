namespace Deliverability.Forecasting.Tests;

public sealed class VolumeHistoryCsvTests
{
    [Fact]
    public void Hourly_history_with_a_header_is_read_in_utc()
    {
        var series = Read("timestamp,count\n2026-11-01T00:00:00Z,3\n2026-11-01T01:00:00Z,5\n2026-11-01T02:00:00Z,0\n");

        Assert.Equal(SeriesFrequency.Hourly, series.Frequency);
        Assert.Equal([3.0, 5, 0], series.Points.Select(p => p.Count));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero), series.Points[2].Timestamp);
        Assert.Empty(series.Repairs);
    }

    [Fact]
    public void Daily_history_without_a_header_is_inferred_daily()
    {
        var series = Read("2026-11-01,100\n2026-11-02,120\n2026-11-03,90\n");

        Assert.Equal(SeriesFrequency.Daily, series.Frequency);
        Assert.Equal(3, series.Points.Count);
    }

    [Fact]
    public void Weekly_history_is_inferred_weekly()
    {
        var series = Read("2026-11-02,700\n2026-11-09,800\n2026-11-16,750\n");

        Assert.Equal(SeriesFrequency.Weekly, series.Frequency);
    }

    [Fact]
    public void Daily_local_midnights_across_a_daylight_saving_change_stay_on_their_dates()
    {
        var series = Read("2026-10-24T00:00:00+01:00,10\n2026-10-25T00:00:00+01:00,11\n2026-10-26T00:00:00+00:00,12\n");

        Assert.Equal(SeriesFrequency.Daily, series.Frequency);
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.Zero), series.Points[2].Timestamp);
        Assert.Contains(series.Repairs, r => r.Contains("converted to UTC", StringComparison.Ordinal));
    }

    [Fact]
    public void Hourly_timestamps_in_mixed_offsets_are_converted_to_utc_and_the_repair_is_reported()
    {
        var series = Read("2026-11-01T00:00:00Z,1\n2026-11-01T02:00:00+01:00,2\n2026-11-01T02:00:00Z,3\n");

        Assert.Equal(SeriesFrequency.Hourly, series.Frequency);
        Assert.Equal([1.0, 2, 3], series.Points.Select(p => p.Count));
        Assert.Contains(series.Repairs, r => r.Contains("2 UTC offsets", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsorted_rows_are_sorted_and_the_repair_is_reported()
    {
        var series = Read("2026-11-03,3\n2026-11-01,1\n2026-11-02,2\n");

        Assert.Equal([1.0, 2, 3], series.Points.Select(p => p.Count));
        Assert.Contains("rows were not in time order and were sorted", series.Repairs);
    }

    [Fact]
    public void Missing_periods_are_filled_with_zero_and_reported()
    {
        var series = Read("2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00Z,1\n2026-11-01T04:00:00Z,4\n");

        Assert.Equal([1.0, 1, 0, 0, 4], series.Points.Select(p => p.Count));
        Assert.Contains("2 missing hours filled with 0", series.Repairs);
    }

    [Fact]
    public void Missing_periods_are_refused_when_filling_is_off()
    {
        var error = ReadError("2026-11-01,1\n2026-11-02,1\n2026-11-05,4\n", new VolumeHistoryOptions { FillGapsWithZero = false });

        Assert.Equal(3, error.Line);
        Assert.Equal("line 3: 2 days missing before 2026-11-05T00:00:00.0000000+00:00", error.Message);
    }

    [Fact]
    public void A_gap_longer_than_the_fill_limit_is_refused()
    {
        var error = ReadError("2026-11-01,1\n2026-11-02,1\n2026-12-25,4\n", new VolumeHistoryOptions { MaxGapPeriods = 30 });

        Assert.Equal(3, error.Line);
        Assert.Contains("more than the 30 that may be filled with 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_timestamp_names_both_lines()
    {
        var error = ReadError("timestamp,count\n2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00Z,2\n2026-11-01T01:00:00Z,3\n");

        Assert.Equal(4, error.Line);
        Assert.StartsWith("line 4: the timestamp 2026-11-01T01:00:00.0000000+00:00 appears twice (also on line 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_count_names_its_line()
    {
        var error = ReadError("2026-11-01,1\n2026-11-02,-4\n");

        Assert.Equal(2, error.Line);
        Assert.Equal("line 2: the count -4 is negative", error.Message);
    }

    [Theory]
    [InlineData("2026-11-01,1\n2026-11-02,lots\n", 2, "the count 'lots' is not a number")]
    [InlineData("2026-11-01,1\n2026-11-02,NaN\n", 2, "the count is not a finite number")]
    [InlineData("2026-11-01,1\n2026-11-02\n", 2, "expected two fields: timestamp,count")]
    [InlineData("2026-11-01,1\n2026-11-02,1,2\n", 2, "expected two fields: timestamp,count")]
    [InlineData("2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00,1\n", 2, "has no time zone")]
    [InlineData("2026-11-01T00:00:00Z,1\n2026-13-01T01:00:00Z,1\n", 2, "is not ISO 8601")]
    [InlineData("2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00Z,1\n2026-11-01T02:30:00Z,1\n", 3, "is not at the start of an hour")]
    [InlineData("2026-11-02,1\n2026-11-09,1\n2026-11-17,1\n", 3, "off the weekly grid")]
    [InlineData("2026-11-01T00:00:00Z,1\n2026-11-01T00:30:00Z,1\n", 2, "0.5 hours apart; the history must be hourly, daily or weekly")]
    public void Bad_rows_are_refused_with_the_line(string csv, int line, string message)
    {
        var error = ReadError(csv);

        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_without_reading_it_whole()
    {
        var error = ReadError("2026-11-01,1\n2026-11-02," + new string('1', 10_000) + "\n", new VolumeHistoryOptions { MaxLineLength = 100 });

        Assert.Equal(2, error.Line);
        Assert.Equal("line 2: the line is longer than 100 characters", error.Message);
    }

    [Fact]
    public void More_rows_than_the_limit_are_refused()
    {
        var csv = string.Concat(Enumerable.Range(0, 20).Select(i => $"2026-11-{i + 1:00},1\n"));

        var error = ReadError(csv, new VolumeHistoryOptions { MaxPoints = 10 });

        Assert.Contains("more than 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_row_cannot_show_a_frequency()
    {
        var error = ReadError("2026-11-01,1\n");

        Assert.Null(error.Line);
        Assert.Equal("the history needs at least two points to show its frequency", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Marketing")]
    [InlineData("a/b")]
    public void A_bad_stream_name_is_refused(string stream)
    {
        Assert.Throws<VolumeHistoryException>(() => VolumeHistoryCsv.Read(new StringReader("2026-11-01,1\n2026-11-02,1\n"), stream));
    }

    [Fact]
    public void Aggregating_hourly_to_daily_sums_and_leaves_out_a_partial_last_day()
    {
        var csv = string.Concat(Enumerable.Range(0, 24 + 24 + 5).Select(h => $"{new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddHours(h):yyyy-MM-ddTHH:mm:ssZ},2\n"));

        var daily = Read(csv).Aggregate(SeriesFrequency.Daily);

        Assert.Equal(SeriesFrequency.Daily, daily.Frequency);
        Assert.Equal([48.0, 48], daily.Points.Select(p => p.Count));
        Assert.Contains("the last daily period is partial and was left out", daily.Repairs);
    }

    [Fact]
    public void Written_history_reads_back_the_same()
    {
        var series = Read("2026-11-01T00:00:00Z,1.5\n2026-11-01T01:00:00Z,2\n");
        var writer = new StringWriter();

        VolumeHistoryCsv.Write(writer, series);
        var again = Read(writer.ToString());

        Assert.Equal(series.Points, again.Points);
    }

    [Fact]
    public void The_online_retail_history_reads_as_hourly_without_repairs()
    {
        var series = RetailData.Hourly();

        Assert.Equal(SeriesFrequency.Hourly, series.Frequency);
        Assert.Equal(8976, series.Points.Count);
        Assert.Equal(22064, series.Points.Sum(p => p.Count));
        Assert.Empty(series.Repairs);
    }

    private static VolumeSeries Read(string csv, VolumeHistoryOptions? options = null)
        => VolumeHistoryCsv.Read(new StringReader(csv), "transactional", options);

    private static VolumeHistoryException ReadError(string csv, VolumeHistoryOptions? options = null)
        => Assert.Throws<VolumeHistoryException>(() => Read(csv, options));
}
