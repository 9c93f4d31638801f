namespace Deliverability.Load.Tests;

internal static class LoadHistograms
{
    public static long Count(string encoded) => LatencyHistogram.Decode(encoded).TotalCount;
}
