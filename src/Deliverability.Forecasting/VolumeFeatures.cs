namespace Deliverability.Forecasting;

/// <summary>
/// The features of a period seen from an anchor: calendar and peak days of the period itself, and lags, levels and
/// trend from the values before the anchor only. A forecast anchors at its origin, so nothing after it is ever read;
/// training rows anchor at earlier points, at the same distances ahead as the forecast.
/// </summary>
internal sealed class VolumeFeatures
{
    public const int Count = 17;

    /// <summary>Day of year is learnt only from two years or more: from one, each date is seen once and only fits noise.</summary>
    public const int DayOfYearMinimumPeriodsPerYear = 2;

    private readonly double[] _prefix;
    private readonly DateTimeOffset _start;
    private readonly TimeSpan _step;
    private readonly SeriesFrequency _frequency;
    private readonly int _season;
    private readonly PeakDayIndex _peaks;
    private readonly bool _dayOfYear;

    /// <param name="known">The values known at the origin: nothing after it is ever passed in.</param>
    public VolumeFeatures(ReadOnlySpan<double> known, DateTimeOffset start, SeriesFrequency frequency, int season, PeakDayIndex peaks)
    {
        _prefix = new double[known.Length + 1];
        for (var i = 0; i < known.Length; i++)
        {
            _prefix[i + 1] = _prefix[i] + known[i];
        }

        _start = start;
        _step = SeriesPeriods.Step(frequency);
        _frequency = frequency;
        _season = season;
        _peaks = peaks;
        _dayOfYear = UsesDayOfYear(frequency, known.Length);
    }

    public static bool UsesDayOfYear(SeriesFrequency frequency, int periods)
        => periods * SeriesPeriods.Step(frequency) >= TimeSpan.FromDays(DayOfYearMinimumPeriodsPerYear * 365);

    public int KnownCount => _prefix.Length - 1;

    /// <summary>The first anchor with four seasons of values before it.</summary>
    public int FirstAnchor => 4 * _season;

    /// <summary>
    /// Fills the features of period <paramref name="t"/> seen from <paramref name="anchor"/> (the first unknown period)
    /// and returns the recent level (mean per period over the last season and the last four) its target is scaled by;
    /// 0 when the recent past is all zero. <paramref name="baseline"/> is the seasonal baseline the model corrects.
    /// </summary>
    public double Fill(int anchor, int t, Span<float> features, out double baseline)
    {
        if (anchor > KnownCount || anchor < FirstAnchor || t < anchor)
        {
            throw new InvalidOperationException($"period {t} from anchor {anchor} needs values that are not known");
        }

        var last = anchor - 1; // the newest value the period may see
        var season1 = Mean(last, _season);
        var season3 = Mean(last, 3 * _season);
        var season4 = Mean(last, 4 * _season);
        var season13 = Mean(last, 13 * _season);
        var level = (season1 + season4) / 2;
        var scale = level > 0 ? 1 / level : 0;

        // The same point of the season in the latest seasons before the anchor.
        var ahead = t - anchor;
        var firstLag = _season * ((ahead / _season) + 1);
        var lag1 = Value(t - firstLag);
        var lag2 = Value(t - firstLag - _season);
        var lag3 = Value(t - firstLag - (2 * _season));
        var mean3 = (lag1 + lag2 + lag3) / 3;

        // Seasonal naive beside the seasonal profile scaled to the latest season: the model learns what both miss.
        baseline = (lag1 + (season3 > 0 ? mean3 * season1 / season3 : mean3)) / 2;

        var timestamp = _start + (_step * t);
        var date = DateOnly.FromDateTime(timestamp.UtcDateTime);
        features[0] = _frequency == SeriesFrequency.Hourly ? timestamp.Hour : 0;
        features[1] = (int)timestamp.DayOfWeek;
        features[2] = _frequency == SeriesFrequency.Hourly ? ((int)timestamp.DayOfWeek * 24) + timestamp.Hour : (int)timestamp.DayOfWeek;
        features[3] = _dayOfYear ? date.DayOfYear : 0;
        features[4] = PeakDayIndex.DaysToChristmas(date);
        features[5] = _peaks.DaysFromBlackFriday(date);
        features[6] = (float)_peaks.Kind(date);
        features[7] = ahead;
        features[8] = (float)(lag1 * scale);
        features[9] = (float)(lag2 * scale);
        features[10] = (float)(lag3 * scale);
        features[11] = (float)(mean3 * scale);
        features[12] = (float)(season1 * scale);
        features[13] = (float)(season4 * scale);

        // Trend: the last season against the last four, the last four against the last thirteen.
        features[14] = (float)(season4 > 0 ? season1 / season4 : 1);
        features[15] = (float)(season13 > 0 ? season4 / season13 : 1);
        features[16] = (float)(baseline * scale);
        return level;
    }

    private double Value(int index) => _prefix[index + 1] - _prefix[index];

    /// <summary>The mean over up to <paramref name="length"/> values ending at <paramref name="end"/>, fewer at the start.</summary>
    private double Mean(int end, int length)
    {
        var from = Math.Max(0, end - length + 1);
        return (_prefix[end + 1] - _prefix[from]) / (end - from + 1);
    }
}
