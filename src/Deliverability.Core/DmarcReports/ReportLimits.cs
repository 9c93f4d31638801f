namespace Deliverability.Core.DmarcReports;

/// <summary>
/// The bounds every input is held to: reports come from anyone who can send mail, so sizes, nesting and counts are
/// capped before anything is decompressed, parsed or stored. Bound from <c>Monitor:DmarcReports:Limits</c>.
/// </summary>
public sealed class ReportLimits
{
    public const string SectionName = "Monitor:DmarcReports:Limits";

    /// <summary>The longest reporting organisation or report id stored (the de-duplication key).</summary>
    public const int MaxKeyLength = 256;

    /// <summary>The longest identifier, address or other text value kept from a report.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>Bytes read from the input as it arrives (an e-mail, a zip, a gzip file). Default 1 GiB.</summary>
    public long MaxInputBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Bytes of one report once decompressed (XML or JSON). Default 1 GiB: a 500 MB report of a big receiver fits.</summary>
    public long MaxReportBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Bytes decompressed from one input in all (every zip entry and gzip member together). Default 2 GiB.</summary>
    public long MaxTotalDecompressedBytes { get; set; } = 2048L * 1024 * 1024;

    /// <summary>Bytes of one TLS-RPT report (JSON, parsed whole). Default 64 MiB.</summary>
    public long MaxTlsRptBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Entries of one zip archive. Default 32.</summary>
    public int MaxZipEntries { get; set; } = 32;

    /// <summary>Containers inside containers (an e-mail carrying a zip carrying a gzip is 3). Default 3.</summary>
    public int MaxNesting { get; set; } = 3;

    /// <summary>Reports found in one input. Default 100.</summary>
    public int MaxReportsPerInput { get; set; } = 100;

    /// <summary>Records of one DMARC report. Default 5,000,000.</summary>
    public int MaxRecords { get; set; } = 5_000_000;

    /// <summary>The longest interval a report may cover, in days; a longer one is refused. Default 31.</summary>
    public int MaxIntervalDays { get; set; } = 31;

    /// <summary>The compressed raw report kept for display; a larger one is stored without it. Default 8 MiB.</summary>
    public int MaxStoredRawBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Every value out of its range, each naming its key; empty when the limits can be used.</summary>
    public IReadOnlyList<string> Problems(string prefix = SectionName)
    {
        const long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
        var problems = new List<string>();
        Between(MaxInputBytes, KiB, 64 * GiB, nameof(MaxInputBytes), "bytes");
        Between(MaxReportBytes, KiB, 64 * GiB, nameof(MaxReportBytes), "bytes");
        Between(MaxTotalDecompressedBytes, KiB, 256 * GiB, nameof(MaxTotalDecompressedBytes), "bytes");
        // A TLS-RPT report is parsed whole in memory.
        Between(MaxTlsRptBytes, KiB, GiB, nameof(MaxTlsRptBytes), "bytes");
        Between(MaxZipEntries, 1, 10_000, nameof(MaxZipEntries), "entries");
        Between(MaxNesting, 1, 10, nameof(MaxNesting), "levels");
        Between(MaxReportsPerInput, 1, 100_000, nameof(MaxReportsPerInput), "reports");
        Between(MaxRecords, 1, 1_000_000_000, nameof(MaxRecords), "records");
        Between(MaxIntervalDays, 1, 366, nameof(MaxIntervalDays), "days");
        Between(MaxStoredRawBytes, 0, 1 * GiB, nameof(MaxStoredRawBytes), "bytes (0 keeps no raw copy)");
        if (problems.Count == 0 && MaxTotalDecompressedBytes < MaxReportBytes)
        {
            problems.Add($"{prefix}:{nameof(MaxTotalDecompressedBytes)}: must be at least {nameof(MaxReportBytes)} ({MaxReportBytes}), or no report of the largest size could be read (was {MaxTotalDecompressedBytes})");
        }

        return problems;

        void Between(long value, long min, long max, string name, string unit)
        {
            if (value < min || value > max)
            {
                problems.Add($"{prefix}:{name}: must be {min} to {max} {unit} (was {value})");
            }
        }
    }
}
