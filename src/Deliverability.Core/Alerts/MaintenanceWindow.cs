using System.Globalization;

namespace Deliverability.Core.Alerts;

/// <summary>A compiled maintenance window: fixed or weekly, muting the alerts its matchers match.</summary>
public sealed class MaintenanceWindow
{
    private readonly DateTimeOffset? _start;
    private readonly DateTimeOffset? _end;
    private readonly HashSet<DayOfWeek> _days;
    private readonly TimeSpan? _startTime;
    private readonly TimeSpan _duration;
    private readonly TimeZoneInfo _zone;

    private MaintenanceWindow(string name, IReadOnlyList<AlertMatcher> matchers, DateTimeOffset? start, DateTimeOffset? end, HashSet<DayOfWeek> days, TimeSpan? startTime, TimeSpan duration, TimeZoneInfo zone)
    {
        Name = name;
        Matchers = matchers;
        _start = start;
        _end = end;
        _days = days;
        _startTime = startTime;
        _duration = duration;
        _zone = zone;
    }

    public string Name { get; }

    public IReadOnlyList<AlertMatcher> Matchers { get; }

    /// <summary>Compiles <paramref name="options"/>; the errors name the field (the caller adds the key).</summary>
    public static MaintenanceWindow? TryCreate(MaintenanceWindowOptions options, List<string> errors)
    {
        var before = errors.Count;
        IReadOnlyList<AlertMatcher> matchers = [];
        try
        {
            matchers = AlertMatcher.ParseAll(options.Matchers);
        }
        catch (FormatException ex)
        {
            errors.Add($"Matchers: {ex.Message}");
        }

        var fixedWindow = options.Start is not null || options.End is not null;
        var weekly = !string.IsNullOrWhiteSpace(options.StartTime);
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            errors.Add("Name: is empty");
        }

        if (fixedWindow == weekly)
        {
            errors.Add("give either Start and End (a fixed window) or StartTime with Days and Duration (a weekly window)");
        }

        if (fixedWindow && (options.Start is null || options.End is null || options.End <= options.Start))
        {
            errors.Add($"End: must be after Start (was {options.Start:o} to {options.End:o})");
        }

        TimeSpan? startTime = null;
        if (weekly)
        {
            if (TimeSpan.TryParseExact(options.StartTime, [@"hh\:mm", @"h\:mm"], CultureInfo.InvariantCulture, out var parsed) && parsed < TimeSpan.FromDays(1))
            {
                startTime = parsed;
            }
            else
            {
                errors.Add($"StartTime: '{options.StartTime}' is not a time of day HH:mm");
            }

            if (options.Duration <= TimeSpan.Zero || options.Duration > TimeSpan.FromDays(7))
            {
                errors.Add($"Duration: must be more than zero and at most 7 days (was {options.Duration})");
            }
        }

        var days = new HashSet<DayOfWeek>();
        foreach (var day in options.Days)
        {
            if (Enum.TryParse<DayOfWeek>(day.Trim(), ignoreCase: true, out var parsedDay) && !int.TryParse(day, out _))
            {
                days.Add(parsedDay);
            }
            else
            {
                errors.Add($"Days: '{day}' is not a day of the week (Monday ... Sunday)");
            }
        }

        TimeZoneInfo zone = TimeZoneInfo.Utc;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(options.TimeZone) ? "UTC" : options.TimeZone.Trim());
        }
        catch (TimeZoneNotFoundException)
        {
            errors.Add($"TimeZone: '{options.TimeZone}' is not a known time zone");
        }

        return errors.Count > before ? null : new MaintenanceWindow(options.Name, matchers, options.Start, options.End, days, startTime, options.Duration, zone);
    }

    public bool IsActive(DateTimeOffset now)
    {
        if (_start is { } start && _end is { } end)
        {
            return now >= start && now < end;
        }

        if (_startTime is not { } startTime)
        {
            return false;
        }

        // A weekly window can start on an earlier day and still be open (Sunday 22:00 for 4 hours): look back far enough.
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        for (var back = 0; back <= 7; back++)
        {
            var day = local.Date.AddDays(-back);
            if (_days.Count > 0 && !_days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var opensLocal = day + startTime;
            var opens = new DateTimeOffset(opensLocal, _zone.GetUtcOffset(opensLocal));
            if (now >= opens && now < opens + _duration)
            {
                return true;
            }
        }

        return false;
    }

    public bool Mutes(DateTimeOffset now, IReadOnlyDictionary<string, string> labels) => IsActive(now) && AlertMatcher.MatchesAll(Matchers, labels);
}
