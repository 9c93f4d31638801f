using System.Globalization;
using System.Net;
using System.Text;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Blacklists;

namespace Deliverability.Benchmarks.Blacklists;

/// <summary>
/// Generated IP block lists <c>bl0.test</c> ... : each lists a fixed share of the benchmark's IPs (198.18.0.0/15,
/// RFC 2544 benchmarking space, only DNS data) with code 127.0.0.2 and a reason TXT, plus its RFC 5782 test point
/// 127.0.0.2 (127.0.0.1 is never listed). Which IPs a zone lists is deterministic and known, so the checker's
/// verdicts can be compared with the truth one by one.
/// </summary>
public sealed class BlacklistBenchmarkZones
{
    private const string Soa = "IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300";

    private BlacklistBenchmarkZones(IReadOnlyList<BlacklistZone> zones, IReadOnlyList<BlacklistTarget> targets, IReadOnlySet<(int Zone, int Ip)> listings)
    {
        Zones = zones;
        Targets = targets;
        Listings = listings;
    }

    public IReadOnlyList<BlacklistZone> Zones { get; }

    public IReadOnlyList<BlacklistTarget> Targets { get; }

    /// <summary>(zone index, IP index) of every generated listing.</summary>
    public IReadOnlySet<(int Zone, int Ip)> Listings { get; }

    public static BlacklistBenchmarkZones Generate(int ipCount, int zoneCount, int listedPercent)
    {
        // Custom zones as a user configures them, through the same parser.
        var zones = Enumerable.Range(0, zoneCount)
            .Select(z => BlacklistZoneSpec.Parse(string.Create(CultureInfo.InvariantCulture, $"bl{z}.test=127.0.0.2")))
            .ToArray();
        var targets = Enumerable.Range(0, ipCount).Select(i => BlacklistTarget.ForAddress(Address(i))).ToArray();
        var listings = new HashSet<(int, int)>();
        for (var z = 0; z < zoneCount; z++)
        {
            for (var i = 0; i < ipCount; i++)
            {
                // A different, evenly spread share per zone: exactly listedPercent of every 100 consecutive IPs.
                if ((i + (z * 37)) % 100 < listedPercent)
                {
                    listings.Add((z, i));
                }
            }
        }

        return new BlacklistBenchmarkZones(zones, targets, listings);
    }

    /// <summary>198.18.0.0 + index: up to 131,072 addresses.</summary>
    public static IPAddress Address(int index) => new([198, (byte)(18 + (index >> 16)), (byte)(index >> 8), (byte)index]);

    /// <summary>Every name the checker asks with an A query (the self-test points aside), for the raw baseline.</summary>
    public IReadOnlyList<(string Name, Core.Dns.DnsRecordType Type)> Questions() =>
        [.. Zones.SelectMany(z => Targets.Select(t => (t.QueryName(z), Core.Dns.DnsRecordType.A)))];

    public IReadOnlyList<ZoneFile> WriteTo(string directory)
    {
        var files = new List<ZoneFile>();
        for (var z = 0; z < Zones.Count; z++)
        {
            var zone = Zones[z];
            var fileName = zone.Name + ".zone";
            using var writer = new StreamWriter(Path.Combine(directory, fileName), append: false, new UTF8Encoding(false)) { NewLine = "\n" };
            writer.WriteLine($"$ORIGIN {zone.Name}.");
            writer.WriteLine("$TTL 3600");
            writer.WriteLine($"@ {Soa}");
            writer.WriteLine("@ IN NS ns.test.");
            var records = 2;
            WriteListing(writer, "2.0.0.127", "RFC 5782 test point");
            records += 2;
            for (var i = 0; i < Targets.Count; i++)
            {
                if (Listings.Contains((z, i)))
                {
                    WriteListing(writer, Targets[i].QueryName(zone)[..^(zone.Name.Length + 1)], $"Listed by the benchmark zone {zone.Name}");
                    records += 2;
                }
            }

            files.Add(new ZoneFile(zone.Name, fileName, records));
        }

        return files;
    }

    private static void WriteListing(StreamWriter writer, string owner, string reason)
    {
        writer.WriteLine($"{owner} IN A 127.0.0.2");
        writer.WriteLine($"{owner} IN TXT \"{reason}\"");
    }
}
