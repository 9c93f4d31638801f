using Deliverability.Forecasting;
using Deliverability.Forecasting.Planning;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// <c>Monitor:Forecasts</c>: when forecasts are made and how far ahead, the capacity plan's margin and how recent a load
/// test must be, extra peak days, the send path of each stream, and how large an imported history may be.
/// </summary>
public sealed class ForecastOptions
{
    public const string SectionName = "Monitor:Forecasts";

    /// <summary>When every stream with history is forecast again: a Quartz cron expression (default 02:00 UTC nightly) or an interval.</summary>
    public string Schedule { get; set; } = "0 0 2 * * ?";

    /// <summary>How far ahead a forecast reaches. Default 28 days; an hourly forecast reaches 31 days at most.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(28);

    /// <summary>The prediction interval's level (0.9 = 90 % of actual values are expected inside it).</summary>
    public double IntervalLevel { get; set; } = 0.9;

    /// <summary>The capacity asked for above the forecast peak: 0.3 = the send path must carry 130 % of it.</summary>
    public double SafetyMargin { get; set; } = 0.3;

    /// <summary>A load test older than this many days says nothing about today: the verdict is unknown and the alert fires.</summary>
    public int LoadTestMaxAgeDays { get; set; } = 30;

    /// <summary>Peak days beyond Black Friday, Cyber Monday and the weeks before Christmas (a sale, a product launch).</summary>
    public List<PeakDayOptions> PeakDays { get; set; } = [];

    /// <summary>The send path of each stream, by stream name. A stream not listed leaves through the send path of its own name.</summary>
    public Dictionary<string, ForecastStreamOptions> Streams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The largest history <c>POST /api/forecasts/history/{stream}</c> accepts, in bytes.</summary>
    public int MaxHistoryBytes { get; set; } = 8 * 1024 * 1024;

    public const int MinHistoryBytes = 1024;
    public const int MaxHistoryBytesLimit = 64 * 1024 * 1024;
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(366);

    /// <summary>The send path that carries <paramref name="stream"/>.</summary>
    public string SendPathOf(string stream) =>
        Streams.TryGetValue(stream, out var mapped) && !string.IsNullOrWhiteSpace(mapped.SendPath) ? mapped.SendPath.Trim() : stream;

    public CapacityPlanSettings PlanSettings => new() { SafetyMargin = SafetyMargin, LoadTestMaxAge = TimeSpan.FromDays(LoadTestMaxAgeDays) };

    /// <summary>The configured peak days (validated at start).</summary>
    public IReadOnlyList<PeakDay> ExtraPeakDays =>
        [.. PeakDays.Where(p => p.Date is not null).Select(p => new PeakDay(p.Date!.Value, string.IsNullOrWhiteSpace(p.Name) ? "Peak day" : p.Name.Trim()))];
}

/// <summary>A configured peak day: its date and what it is called.</summary>
public sealed class PeakDayOptions
{
    public DateOnly? Date { get; set; }

    public string? Name { get; set; }
}

/// <summary>Where one stream's messages leave.</summary>
public sealed class ForecastStreamOptions
{
    /// <summary>The send path (as load tests name it) that carries the stream; several streams may share one.</summary>
    public string? SendPath { get; set; }
}
