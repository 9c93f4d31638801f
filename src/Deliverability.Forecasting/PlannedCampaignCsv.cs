using System.Globalization;

namespace Deliverability.Forecasting;

/// <summary>Reads planned campaigns: <c>date,stream,volume</c> per line (<c>2026-11-27,marketing,250000</c>), header optional.</summary>
public static class PlannedCampaignCsv
{
    public const int MaxRows = 10_000;
    public const int MaxLineLength = 200;

    /// <exception cref="FormatException">A line is not a campaign; the one-line message names the line.</exception>
    public static IReadOnlyList<PlannedCampaign> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var campaigns = new List<PlannedCampaign>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length > MaxLineLength)
            {
                throw new FormatException($"line {lineNumber}: the line is longer than {MaxLineLength} characters");
            }

            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Length != 3)
            {
                throw new FormatException($"line {lineNumber}: expected three fields: date,stream,volume");
            }

            var isDate = DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
            if (!isDate && lineNumber == 1 && !char.IsAsciiDigit(fields[0].FirstOrDefault()))
            {
                continue; // the header
            }

            if (!isDate)
            {
                throw new FormatException($"line {lineNumber}: the date '{Shorten(fields[0])}' is not yyyy-MM-dd");
            }

            try
            {
                VolumeSeries.ValidateStream(fields[1]);
            }
            catch (VolumeHistoryException e)
            {
                throw new FormatException($"line {lineNumber}: {e.Message}", e);
            }

            if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var volume) || !double.IsFinite(volume) || volume < 0)
            {
                throw new FormatException($"line {lineNumber}: the volume '{Shorten(fields[2])}' is not a number of messages, 0 or more");
            }

            if (campaigns.Count == MaxRows)
            {
                throw new FormatException($"line {lineNumber}: more than {MaxRows} campaigns");
            }

            campaigns.Add(new PlannedCampaign(date, fields[1], volume));
        }

        return campaigns;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
