using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Deliverability.Testing.Network;

namespace Deliverability.Testing.Dns;

/// <summary>
/// A real DNS server (UDP and TCP) on 127.0.0.1 and a free port, answering from a <see cref="TestZone"/> that a test
/// may change while it runs. Timeouts are simulated by holding the answer back until the client has given up.
/// </summary>
public sealed class TestDnsServer : IAsyncDisposable
{
    private readonly DnsServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, byte> _udpSourcePorts = new();
    private long _queries;
    private long _tcpQueries;

    private TestDnsServer(int port, TestZone zone)
    {
        Port = port;
        Zone = zone;
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        _server = new DnsServer(new UdpServerTransport(endpoint, 5000), new TcpServerTransport(endpoint, 5000, 5000));
        _server.QueryReceived += OnQueryReceivedAsync;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, the form <c>--dns</c> and <c>Dns:NameServers</c> take.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public TestZone Zone { get; set; }

    /// <summary>Queries received so far (answered or held back).</summary>
    public long QueryCount => Interlocked.Read(ref _queries);

    /// <summary>Queries received over TCP (a client falls back to TCP when a UDP answer is truncated).</summary>
    public long TcpQueryCount => Interlocked.Read(ref _tcpQueries);

    /// <summary>The distinct source ports UDP queries came from.</summary>
    public int UdpSourcePortCount => _udpSourcePorts.Count;

    /// <summary>How long a "timed out" query is held before the server gives up on it too.</summary>
    public TimeSpan TimeoutHold { get; set; } = TimeSpan.FromSeconds(30);

    public static TestDnsServer Start(TestZone? zone = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.UdpAndTcp();
            var server = new TestDnsServer(port, zone ?? new TestZone());
            try
            {
                server._server.Start();
                return server;
            }
            catch (SocketException) when (attempt < 10)
            {
                // another process took the port between the probe and the bind: try another one
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            _server.Stop();
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is OperationCanceledException))
        {
            // the server's listener tasks end by cancellation when it stops
        }

        _stopping.Dispose();
    }

    private async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        Interlocked.Increment(ref _queries);
        if (e.TransportProtocol == TransportProtocol.Tcp)
        {
            Interlocked.Increment(ref _tcpQueries);
        }
        else if (e.RemoteEndpoint is IPEndPoint source)
        {
            _udpSourcePorts.TryAdd(source.Port, 0);
        }
        if (e.Query is not DnsMessage query || query.Questions.Count != 1)
        {
            return;
        }

        var question = query.Questions[0];
        var name = question.Name.ToString().TrimEnd('.');
        var type = ToTestType(question.RecordType);
        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        var zone = Zone;

        var failure = type is null ? null : zone.FailureFor(name, type.Value);
        if (failure == TestFailureKind.Timeout)
        {
            try
            {
                await Task.Delay(TimeoutHold, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        if (failure is TestFailureKind.ServFail or TestFailureKind.Refused)
        {
            response.ReturnCode = failure == TestFailureKind.ServFail ? ReturnCode.ServerFailure : ReturnCode.Refused;
            e.Response = response;
            return;
        }

        response.ReturnCode = ReturnCode.NoError;
        if (type is not null)
        {
            AddAnswers(zone, name, question.Name, type.Value, response, depth: 0);
        }

        if (response.AnswerRecords.Count == 0 && !zone.NameExists(name))
        {
            response.ReturnCode = ReturnCode.NxDomain;
        }

        e.Response = response;
    }

    private static void AddAnswers(TestZone zone, string name, DomainName owner, TestRecordType type, DnsMessage response, int depth)
    {
        var records = zone.RecordsOf(name);
        if (records is null || depth > 8)
        {
            return;
        }

        var cname = records.OfType<TestRecord.Cname>().FirstOrDefault();
        if (cname is not null && type != TestRecordType.CNAME)
        {
            response.AnswerRecords.Add(new CNameRecord(owner, 300, DomainName.Parse(cname.Target)));
            AddAnswers(zone, cname.Target, DomainName.Parse(cname.Target), type, response, depth + 1);
            return;
        }

        foreach (var record in records)
        {
            DnsRecordBase? answer = (record, type) switch
            {
                (TestRecord.Txt txt, TestRecordType.TXT) => TxtAnswer(owner, txt.Strings),
                (TestRecord.Address a, TestRecordType.A) when a.Value.AddressFamily == AddressFamily.InterNetwork => new ARecord(owner, 300, a.Value),
                (TestRecord.Address a, TestRecordType.AAAA) when a.Value.AddressFamily == AddressFamily.InterNetworkV6 => new AaaaRecord(owner, 300, a.Value),
                (TestRecord.Mx mx, TestRecordType.MX) => new MxRecord(owner, 300, mx.Preference, mx.Exchange is "" or "." ? DomainName.Root : DomainName.Parse(mx.Exchange)),
                (TestRecord.Ptr ptr, TestRecordType.PTR) => new PtrRecord(owner, 300, DomainName.Parse(ptr.Target)),
                (TestRecord.Cname c, TestRecordType.CNAME) => new CNameRecord(owner, 300, DomainName.Parse(c.Target)),
                _ => null,
            };
            if (answer is not null)
            {
                response.AnswerRecords.Add(answer);
            }
        }
    }

    // ARSoft writes TXT as ASCII ('?' for anything else) and mangles a record of no strings: such records go out as raw
    // RDATA, each string as UTF-8 behind its length byte, so tests can serve non-ASCII and empty TXT records.
    private static DnsRecordBase TxtAnswer(DomainName owner, string[] strings)
    {
        if (strings.Length > 0 && strings.All(s => s.All(char.IsAscii)))
        {
            return new TxtRecord(owner, 300, strings);
        }

        var data = new List<byte>();
        foreach (var text in strings)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            data.Add((byte)Math.Min(bytes.Length, 255));
            data.AddRange(bytes.Take(255));
        }

        return new UnknownRecord(owner, RecordType.Txt, RecordClass.INet, 300, data.ToArray());
    }

    private static TestRecordType? ToTestType(RecordType type) => type switch
    {
        RecordType.A => TestRecordType.A,
        RecordType.Aaaa => TestRecordType.AAAA,
        RecordType.CName => TestRecordType.CNAME,
        RecordType.Mx => TestRecordType.MX,
        RecordType.Ptr => TestRecordType.PTR,
        RecordType.Txt => TestRecordType.TXT,
        RecordType.Ns => TestRecordType.NS,
        _ => null,
    };
}
