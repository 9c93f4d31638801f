using System.Security.Cryptography;

namespace Deliverability.Core.Dns.Transport;

/// <summary>
/// Query ids from a cryptographic generator (RFC 5452 section 9.2: an off-path attacker must not predict them),
/// drawn in batches so that one id costs a few nanoseconds.
/// </summary>
internal static class QueryIds
{
    private const int BatchSize = 256;

    [ThreadStatic]
    private static ushort[]? _batch;

    [ThreadStatic]
    private static int _next;

    public static ushort Next()
    {
        var batch = _batch;
        if (batch is null || _next == BatchSize)
        {
            batch = _batch ??= new ushort[BatchSize];
            RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(batch.AsSpan()));
            _next = 0;
        }

        return batch[_next++];
    }
}
