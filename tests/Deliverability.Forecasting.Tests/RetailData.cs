namespace Deliverability.Forecasting.Tests;

/// <summary>The online retailer's hourly orders (Data/online_retail_hourly.csv, CC BY 4.0, see Data/LICENSE.md).</summary>
internal static class RetailData
{
    public static readonly DateTimeOffset FirstOrigin = new(2011, 10, 3, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LastOrigin = new(2011, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<VolumeSeries> Series = new(() =>
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Data", "online_retail_hourly.csv"));
        return VolumeHistoryCsv.Read(reader, "orders");
    });

    public static VolumeSeries Hourly() => Series.Value;
}
