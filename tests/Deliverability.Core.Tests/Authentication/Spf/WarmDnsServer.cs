using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Spf;

/// <summary>Starts a test DNS server and takes its first, slow answer (JIT) before tests use short DNS timeouts.</summary>
internal static class WarmDnsServer
{
    public static async Task<TestDnsServer> StartAsync(TestZone zone)
    {
        var server = TestDnsServer.Start(zone);
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 10, Retries = 0, UseCache = false });
        await resolver.QueryAsync("warm-up.invalid", DnsRecordType.TXT);
        return server;
    }
}
