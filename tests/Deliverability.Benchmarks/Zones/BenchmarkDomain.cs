using System.Globalization;
using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.Zones;

/// <summary>
/// One generated sending domain, <c>bench-NNNNN.test</c>. Its addresses are only data in DNS answers, never contacted:
/// the sending IP is in 198.18.0.0/15 (RFC 2544 benchmarking), the MX host in 10.0.0.0/8.
/// </summary>
public sealed record BenchmarkDomain(int Number, string Name, string EspName, int DkimKey, IPAddress SendingIp, IPAddress MxAddress)
{
    public const string Selector = "s1";

    /// <summary>The most domains the sending-IP range holds (198.18.0.0/15 less the network address).</summary>
    public const int MaxCount = 131_070;

    public string Label => Name[..^".test".Length];

    public string MxHost => $"mx.{Name}";

    public string PtrHost => $"out.{Name}";

    public DomainAuditRequest Request => new(Name, [Selector], [SendingIp]);

    /// <summary>The questions a full audit of this domain asks (the baseline blast asks the same mix, so answer sizes match).</summary>
    public IReadOnlyList<(string Name, DnsRecordType Type)> Questions =>
    [
        (Name, DnsRecordType.TXT),
        (EspName, DnsRecordType.TXT),
        ($"{Selector}._domainkey.{Name}", DnsRecordType.TXT),
        ($"_dmarc.{Name}", DnsRecordType.TXT),
        (Name, DnsRecordType.MX),
        (MxHost, DnsRecordType.A),
        (DnsNames.ReverseName(SendingIp), DnsRecordType.PTR),
        (PtrHost, DnsRecordType.A),
        ($"_mta-sts.{Name}", DnsRecordType.TXT),
        ($"_smtp._tls.{Name}", DnsRecordType.TXT),
        ($"default._bimi.{Name}", DnsRecordType.TXT),
    ];

    public static BenchmarkDomain Create(int number, int espCount, int dkimKeyCount)
    {
        if (number is < 1 or > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, $"a domain number is 1 to {MaxCount}");
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"bench-{number:D5}.test");
        var esp = string.Create(CultureInfo.InvariantCulture, $"_spf.esp-{(number % espCount) + 1}.test");
        return new BenchmarkDomain(
            number,
            name,
            esp,
            number % dkimKeyCount,
            AddressAt(0xC6120000u, number), // 198.18.0.0 + number
            AddressAt(0x0A000000u, number)); // 10.0.0.0 + number
    }

    private static IPAddress AddressAt(uint network, int offset)
    {
        var value = network + (uint)offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
