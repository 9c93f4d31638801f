using System.Text;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Aggregate;
using Deliverability.Core.DmarcReports.Formats;
using Deliverability.Core.DmarcReports.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Parsing;

public sealed class DmarcParsingTests
{
    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 8, 0 }, InputFormat.Gzip)]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4 }, InputFormat.Zip)]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'\n', (byte)'<' }, InputFormat.Xml)]
    [InlineData(new byte[] { (byte)' ', (byte)'{' }, InputFormat.Json)]
    [InlineData(new byte[] { (byte)'R', (byte)'e', (byte)':', (byte)' ' }, InputFormat.Email)]
    [InlineData(new byte[] { (byte)'\r', (byte)'\n' }, InputFormat.Empty)]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F' }, InputFormat.Unknown)]
    public void Format_is_told_by_content(byte[] head, InputFormat format) => Assert.Equal(format, InputFormatDetector.Detect(head));

    [Fact]
    public void Stray_schema_tags_are_dropped_even_when_read_a_byte_at_a_time()
    {
        var text = "<feedback>\n<xs:schema xmlns:xs=\"x\"><xs:schemaLocation>keep</xs:schemaLocation><<a>1</a></xs:schema>\n<xs:schema/><xs:sch";
        using var filter = new StraySchemaTagFilter(new OneByteStream(Encoding.UTF8.GetBytes(text)));
        var output = new MemoryStream();
        var one = new byte[1];
        while (filter.Read(one, 0, 1) == 1)
        {
            output.WriteByte(one[0]);
        }

        Assert.Equal("<feedback>\n<xs:schemaLocation>keep</xs:schemaLocation><<a>1</a>\n<xs:sch", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void A_huge_text_value_is_refused_without_reading_it_whole()
    {
        var xml = "<feedback><report_metadata><org_name>" + new string('a', 5_000_000) + "</org_name></report_metadata></feedback>";
        using var reader = new DmarcAggregateReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)), new ReportLimits());

        var refused = Assert.Throws<InvalidReportException>(() => reader.ReadHeader());

        Assert.Equal($"<org_name> is longer than {ReportLimits.MaxValueLength} characters: refused", refused.Message);
    }

    [Fact]
    public void Records_over_the_limit_are_refused()
    {
        var xml = DmarcReportStorageTests.Report("r", 1795651200, 1795737599, DmarcReportStorageTests.Record("192.0.2.1", 1) + DmarcReportStorageTests.Record("192.0.2.2", 1));
        using var reader = new DmarcAggregateReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)), new ReportLimits { MaxRecords = 1 });
        reader.ReadHeader();

        Assert.True(reader.TryReadRecord(out _));
        Assert.Equal("the report has more than 1 records: refused", Assert.Throws<InvalidReportException>(() => reader.TryReadRecord(out _)).Message);
    }

    [Fact]
    public void Unix_times_are_read_as_utc_and_a_fractional_second_is_accepted()
    {
        var xml = DmarcReportStorageTests.Report("r", 1795651200, 1795737599, "").Replace("<begin>1795651200</begin>", "<begin>1795651200.0</begin>", StringComparison.Ordinal);
        using var reader = new DmarcAggregateReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)), new ReportLimits());

        var header = reader.ReadHeader();

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), header.Begin);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 23, 59, 59, TimeSpan.Zero), header.End);
        Assert.False(reader.TryReadRecord(out _));
    }

    [Theory]
    [InlineData("2026-11-26T00:00:00Z", "2026-11-26T23:59:59Z", 1000, "2026-11-26=1000")]
    [InlineData("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z", 7, "2026-11-26=7")]
    [InlineData("2026-11-26T18:00:00Z", "2026-11-27T06:00:00Z", 3, "2026-11-26=2 2026-11-27=1")]
    [InlineData("2026-11-26T00:00:00Z", "2026-11-29T00:00:00Z", 100, "2026-11-26=33 2026-11-27=34 2026-11-28=33")]
    [InlineData("2026-11-26T05:00:00Z", "2026-11-26T05:00:00Z", 4, "2026-11-26=4")]
    [InlineData("2026-11-26T00:00:00Z", "2026-11-28T00:00:00Z", 1, "2026-11-26=1")]
    public void Counts_spread_over_utc_days_add_up(string begin, string end, long count, string expected)
    {
        var spread = DailySpread.Spread(DateTimeOffset.Parse(begin, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), count).ToList();

        Assert.Equal(expected, string.Join(' ', spread.Select(s => $"{s.Day:yyyy-MM-dd}={s.Count}")));
        Assert.Equal(count, spread.Sum(s => s.Count));
    }

    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
    }
}
