using Deliverability.Forecasting;

namespace Deliverability.Cli.Forecasts;

/// <summary>Reads the history and campaign files of <c>monitor forecast</c>; a problem is one line for stderr.</summary>
internal static class ForecastInput
{
    /// <summary>About 100,000 rows of at most 200 characters.</summary>
    public const long MaxHistoryBytes = 20L * 1024 * 1024;

    public const long MaxCampaignBytes = 2L * 1024 * 1024;

    public static VolumeSeries ReadHistory(string path, string stream)
    {
        using var reader = Open(path, "--history", MaxHistoryBytes);
        try
        {
            return VolumeHistoryCsv.Read(reader, stream);
        }
        catch (VolumeHistoryException e)
        {
            throw new ForecastInputException($"--history {Path.GetFileName(path)}: {e.Message}");
        }
    }

    public static IReadOnlyList<PlannedCampaign> ReadCampaigns(string path)
    {
        using var reader = Open(path, "--campaigns", MaxCampaignBytes);
        try
        {
            return PlannedCampaignCsv.Read(reader);
        }
        catch (FormatException e)
        {
            throw new ForecastInputException($"--campaigns {Path.GetFileName(path)}: {e.Message}");
        }
    }

    /// <summary>The history at the level asked for: its own frequency, or summed into a coarser one.</summary>
    public static VolumeSeries AtLevel(VolumeSeries history, SeriesFrequency? level)
    {
        if (level is not { } wanted || wanted == history.Frequency)
        {
            return history;
        }

        if (wanted < history.Frequency)
        {
            throw new ForecastInputException(
                $"--level {ForecastOptionValues.FormatLevel(wanted)}: the history is {ForecastOptionValues.FormatLevel(history.Frequency)} and cannot be split into finer periods");
        }

        try
        {
            return history.Aggregate(wanted);
        }
        catch (VolumeHistoryException e)
        {
            throw new ForecastInputException($"--level {ForecastOptionValues.FormatLevel(wanted)}: {e.Message}");
        }
    }

    private static StreamReader Open(string path, string option, long maxBytes)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new ForecastInputException($"{option}: no such file '{path}'");
            }

            if (file.Length > maxBytes)
            {
                throw new ForecastInputException($"{option}: '{path}' is larger than {maxBytes / (1024 * 1024)} MiB");
            }

            return new StreamReader(file.OpenRead());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ForecastInputException($"{option}: cannot read '{path}': {e.Message}");
        }
    }
}

/// <summary>A file or value <c>monitor forecast</c> cannot use: exit 2 with this one-line message.</summary>
internal sealed class ForecastInputException(string message) : Exception(message);
