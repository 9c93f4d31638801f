using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Benchmarks.Zones;

/// <summary>A zone file written for the DNS server.</summary>
public sealed record ZoneFile(string Origin, string FileName, int RecordCount);

/// <summary>
/// Writes the zone data of the generated domains in RFC 1035 master-file format: one zone <c>test.</c> holding every
/// domain and the shared ESP SPF records, and one reverse zone per /16 of sending IPs.
/// </summary>
public sealed class BenchmarkZones
{
    private const int Ttl = 3600;
    private const string Soa = "IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300";

    private readonly IReadOnlyList<BenchmarkDomain> _domains;
    private readonly int _espCount;
    private readonly IReadOnlyList<string> _dkimKeys;

    private BenchmarkZones(IReadOnlyList<BenchmarkDomain> domains, int espCount, IReadOnlyList<string> dkimKeys)
    {
        _domains = domains;
        _espCount = espCount;
        _dkimKeys = dkimKeys;
    }

    public IReadOnlyList<BenchmarkDomain> Domains => _domains;

    /// <summary>Generates <paramref name="count"/> domains spread over <paramref name="espCount"/> ESPs and a few real 2048-bit RSA keys.</summary>
    public static BenchmarkZones Generate(int count, int espCount, int dkimKeyCount)
    {
        var domains = Enumerable.Range(1, count).Select(n => BenchmarkDomain.Create(n, espCount, dkimKeyCount)).ToArray();
        var keys = Enumerable.Range(0, dkimKeyCount).Select(_ => NewDkimPublicKey()).ToArray();
        return new BenchmarkZones(domains, espCount, keys);
    }

    public IReadOnlyList<ZoneFile> WriteTo(string directory)
    {
        var zones = new List<ZoneFile> { WriteForwardZone(Path.Combine(directory, "test.zone")) };
        foreach (var group in _domains.GroupBy(d => d.SendingIp.GetAddressBytes()[1]))
        {
            var origin = string.Create(CultureInfo.InvariantCulture, $"{group.Key}.198.in-addr.arpa");
            zones.Add(WriteReverseZone(Path.Combine(directory, origin + ".zone"), origin, group));
        }

        return zones;
    }

    private ZoneFile WriteForwardZone(string path)
    {
        using var writer = new ZoneWriter(path, "test");
        writer.Line("@", "IN NS ns.test.");
        writer.Line("ns", "IN A 127.0.0.1");
        for (var esp = 1; esp <= _espCount; esp++)
        {
            // Ranges that never hold a sending IP, so check_host() walks the include and moves on to the domain's own ip4.
            writer.Txt(
                string.Create(CultureInfo.InvariantCulture, $"_spf.esp-{esp}"),
                string.Create(CultureInfo.InvariantCulture, $"v=spf1 ip4:100.64.{esp % 256}.0/24 ip4:100.65.{esp % 256}.0/24 ip4:203.0.113.{esp % 16 * 16}/28 ip6:2001:db8:{esp:x}::/48 -all"));
        }

        foreach (var domain in _domains)
        {
            var label = domain.Label;
            writer.Txt(label, $"v=spf1 include:{domain.EspName} ip4:{domain.SendingIp} -all");
            writer.Line(label, $"IN MX 10 {domain.MxHost}.");
            writer.Line($"mx.{label}", $"IN A {domain.MxAddress}");
            writer.Line($"out.{label}", $"IN A {domain.SendingIp}");
            writer.Line($"mta-sts.{label}", $"IN A {domain.MxAddress}");
            writer.Txt($"{BenchmarkDomain.Selector}._domainkey.{label}", $"v=DKIM1; k=rsa; p={_dkimKeys[domain.DkimKey]}");
            writer.Txt($"_dmarc.{label}", $"v=DMARC1; p=reject; rua=mailto:dmarc@{domain.Name}");
            writer.Txt($"_mta-sts.{label}", "v=STSv1; id=20261127T000000");
            writer.Txt($"_smtp._tls.{label}", $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain.Name}");
            writer.Txt($"default._bimi.{label}", $"v=BIMI1; l=https://{domain.Name}/brand/logo.svg");
        }

        return new ZoneFile("test", Path.GetFileName(path), writer.Records);
    }

    private static ZoneFile WriteReverseZone(string path, string origin, IEnumerable<BenchmarkDomain> domains)
    {
        using var writer = new ZoneWriter(path, origin);
        writer.Line("@", "IN NS ns.test.");
        foreach (var domain in domains)
        {
            var bytes = domain.SendingIp.GetAddressBytes();
            writer.Line(string.Create(CultureInfo.InvariantCulture, $"{bytes[3]}.{bytes[2]}"), $"IN PTR {domain.PtrHost}.");
        }

        return new ZoneFile(origin, Path.GetFileName(path), writer.Records);
    }

    private static string NewDkimPublicKey()
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Streams a master file so that 10,000 domains never sit in memory as one string.</summary>
    private sealed class ZoneWriter : IDisposable
    {
        // A TXT character-string holds at most 255 bytes; longer values are split (SPF and DKIM join them back).
        private const int MaxStringLength = 255;

        private readonly StreamWriter _writer;

        public ZoneWriter(string path, string origin)
        {
            _writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
            _writer.WriteLine($"$ORIGIN {origin}.");
            _writer.WriteLine($"$TTL {Ttl}");
            Line("@", Soa);
        }

        public int Records { get; private set; }

        public void Line(string owner, string data)
        {
            _writer.Write(owner);
            _writer.Write(' ');
            _writer.WriteLine(data);
            Records++;
        }

        public void Txt(string owner, string text)
        {
            var strings = text.Chunk(MaxStringLength).Select(chunk => $"\"{new string(chunk)}\"");
            Line(owner, "IN TXT " + string.Join(' ', strings));
        }

        public void Dispose() => _writer.Dispose();
    }
}
