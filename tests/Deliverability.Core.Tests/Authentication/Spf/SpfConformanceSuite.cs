using System.Collections.Concurrent;
using System.Net;
using Deliverability.Testing.Dns;
using YamlDotNet.RepresentationModel;

namespace Deliverability.Core.Tests.Authentication.Spf;

/// <summary>
/// The openspf.org RFC 7208 test suite, vendored in <c>Conformance/</c> beside this file (origin and licence in its
/// README) and copied to the test output folder; read once.
/// </summary>
public sealed class SpfConformanceSuite
{
    /// <summary>Where the project file places the suite, relative to the test output folder.</summary>
    public const string RelativePath = "Authentication/Spf/Conformance/rfc7208-tests.yml";

    private static readonly Lazy<SpfConformanceSuite> Loaded = new(Load);

    private SpfConformanceSuite(string path, IReadOnlyList<SpfConformanceScenario> scenarios)
    {
        Path = path;
        Scenarios = scenarios;
    }

    public string Path { get; }

    public IReadOnlyList<SpfConformanceScenario> Scenarios { get; }

    /// <summary>The suite; throws <see cref="FileNotFoundException"/> when the build did not copy it to the output folder.</summary>
    public static SpfConformanceSuite Instance => Loaded.Value;

    public SpfConformanceCase Case(string scenario, string test) =>
        Scenarios.Single(s => s.Name == scenario).Tests.Single(t => t.Name == test);

    private static SpfConformanceSuite Load()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, RelativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The RFC 7208 suite was not copied to the test output folder (expected {path}).", path);
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var scenarios = new List<SpfConformanceScenario>();
        foreach (var document in yaml.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var name = Scalar(root, "description");
            var tests = new List<SpfConformanceCase>();
            foreach (var (key, value) in ((YamlMappingNode)root["tests"]).Children)
            {
                var test = (YamlMappingNode)value;
                var result = test["result"];
                var expected = result is YamlSequenceNode list
                    ? list.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray()
                    : [((YamlScalarNode)result).Value!];
                tests.Add(new SpfConformanceCase(
                    name,
                    ((YamlScalarNode)key).Value!,
                    IPAddress.Parse(Scalar(test, "host")),
                    Scalar(test, "mailfrom"),
                    Scalar(test, "helo"),
                    expected,
                    test.Children.ContainsKey("explanation") ? Scalar(test, "explanation") : null));
            }

            scenarios.Add(new SpfConformanceScenario(name, tests, (YamlMappingNode)root["zonedata"]));
        }

        return new SpfConformanceSuite(path, scenarios);
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value ?? "";
}

public sealed record SpfConformanceCase(
    string Scenario, string Name, IPAddress Host, string MailFrom, string Helo, IReadOnlyList<string> Results, string? Explanation);

/// <summary>One YAML document: its tests and the zone they run against.</summary>
public sealed record SpfConformanceScenario(string Name, IReadOnlyList<SpfConformanceCase> Tests, YamlMappingNode ZoneData)
{
    /// <summary>
    /// The zone as the reference driver serves it (Conformance/README.md): SPF also served as TXT unless the name
    /// has TXT of its own, <c>TXT: NONE</c> = no TXT, the bare <c>TIMEOUT</c> times out every type not listed before it,
    /// absent <c>error.</c> names time out.
    /// </summary>
    public TestZone BuildZone()
    {
        var zone = new TestZone().TimeoutWhenAbsent("error.");
        foreach (var (key, value) in ZoneData.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var spf = new List<string[]>();
            var hasTxt = false;
            var listed = new HashSet<TestRecordType>();
            var timesOut = false;
            zone.Exists(name);
            foreach (var entry in ((YamlSequenceNode)value).Children)
            {
                if (entry is YamlScalarNode { Value: "TIMEOUT" })
                {
                    timesOut = true;
                    break;
                }

                var (typeNode, data) = ((YamlMappingNode)entry).Children.Single();
                var type = ((YamlScalarNode)typeNode).Value!;
                switch (type)
                {
                    case "TXT":
                        hasTxt = true;

                        // NONE is not a record: it only stops the generated TXT, so a TIMEOUT after it still hides TXT.
                        if (data is not YamlScalarNode { Value: "NONE" })
                        {
                            listed.Add(TestRecordType.TXT);
                            zone.Txt(name, Strings(data));
                        }

                        break;
                    case "SPF":
                        spf.Add(Strings(data));
                        break;
                    case "A":
                        listed.Add(TestRecordType.A);
                        zone.A(name, ((YamlScalarNode)data).Value!);
                        break;
                    case "AAAA":
                        listed.Add(TestRecordType.AAAA);
                        zone.Aaaa(name, ((YamlScalarNode)data).Value!);
                        break;
                    case "MX":
                        var mx = (YamlSequenceNode)data;
                        listed.Add(TestRecordType.MX);
                        zone.Mx(name, ushort.Parse(((YamlScalarNode)mx[0]).Value!, System.Globalization.CultureInfo.InvariantCulture), ((YamlScalarNode)mx[1]).Value!);
                        break;
                    case "PTR":
                        listed.Add(TestRecordType.PTR);
                        zone.Ptr(name, ((YamlScalarNode)data).Value!);
                        break;
                    case "CNAME":
                        listed.Add(TestRecordType.CNAME);
                        zone.Cname(name, ((YamlScalarNode)data).Value!);
                        break;
                    default:
                        throw new InvalidOperationException($"{Name}: unknown record type {type} at {name}");
                }
            }

            // Generated TXT records come after TIMEOUT in the reference driver, so a TIMEOUT hides them.
            if (!hasTxt && !timesOut)
            {
                foreach (var strings in spf)
                {
                    zone.Txt(name, strings);
                }
            }

            if (timesOut)
            {
                foreach (var type in Enum.GetValues<TestRecordType>().Where(t => !listed.Contains(t)))
                {
                    zone.Timeout(name, type);
                }
            }
        }

        return zone;
    }

    private static string[] Strings(YamlNode node) => node is YamlSequenceNode list
        ? list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray()
        : [((YamlScalarNode)node).Value ?? ""];
}

/// <summary>One DNS server per scenario, started on first use and shared by that scenario's tests.</summary>
public sealed class SpfConformanceServers : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TestDnsServer>>> _servers = new();

    public async Task<TestDnsServer> ForAsync(SpfConformanceScenario scenario)
    {
        var lazy = _servers.GetOrAdd(scenario.Name, _ => new Lazy<Task<TestDnsServer>>(() => WarmDnsServer.StartAsync(scenario.BuildZone())));
        return await lazy.Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values.Where(s => s.IsValueCreated))
        {
            await (await server.Value).DisposeAsync();
        }
    }
}
