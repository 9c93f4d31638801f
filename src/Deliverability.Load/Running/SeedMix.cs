namespace Deliverability.Load.Running;

/// <summary>
/// Derives the seeds of a run's random numbers from its one seed, the same in every process (HashCode.Combine is
/// randomised per process, so it would make a seed unrepeatable).
/// </summary>
internal static class SeedMix
{
    public static int Derive(int seed, int first, int second = 0)
    {
        // SplitMix64 finaliser over the three values.
        var value = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)first * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)second * 0xC2B2AE3D27D4EB4FUL));
        value = unchecked((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL);
        value = unchecked((value ^ (value >> 27)) * 0x94D049BB133111EBUL);
        return (int)(value ^ (value >> 31));
    }
}
