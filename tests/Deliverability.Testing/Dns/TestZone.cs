using System.Collections.Concurrent;
using System.Net;

namespace Deliverability.Testing.Dns;

/// <summary>What the test DNS server answers: records by name and type, plus names that time out or fail.</summary>
public sealed class TestZone
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<TestRecord>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TestFailure> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentBag<string> _absentTimeoutPrefixes = [];

    public TestZone Txt(string name, params string[] characterStrings) => Add(name, new TestRecord.Txt(characterStrings));

    public TestZone A(string name, string address) => Add(name, new TestRecord.Address(IPAddress.Parse(address)));

    public TestZone Aaaa(string name, string address) => A(name, address);

    public TestZone Mx(string name, ushort preference, string exchange) => Add(name, new TestRecord.Mx(preference, exchange));

    public TestZone Ptr(string name, string target) => Add(name, new TestRecord.Ptr(target));

    /// <summary>A PTR record for an address: the reverse name is computed.</summary>
    public TestZone PtrFor(string address, string target) => Ptr(ReverseName(IPAddress.Parse(address)), target);

    public TestZone Cname(string name, string target) => Add(name, new TestRecord.Cname(target));

    /// <summary>An empty non-terminal: the name exists (NOERROR) but owns no record of interest.</summary>
    public TestZone Exists(string name) => Add(name, new TestRecord.Marker());

    /// <summary>Queries for <paramref name="name"/> (of <paramref name="type"/>, or of any type) get no answer.</summary>
    public TestZone Timeout(string name, TestRecordType? type = null) => Fail(name, type, TestFailureKind.Timeout);

    public TestZone ServFail(string name, TestRecordType? type = null) => Fail(name, type, TestFailureKind.ServFail);

    public TestZone Refused(string name, TestRecordType? type = null) => Fail(name, type, TestFailureKind.Refused);

    /// <summary>Names that start with <paramref name="prefix"/> and own no record time out instead of NXDOMAIN (the SPF suite's <c>error.</c> names).</summary>
    public TestZone TimeoutWhenAbsent(string prefix)
    {
        _absentTimeoutPrefixes.Add(Key(prefix));
        return this;
    }

    /// <summary>Removes every record of <paramref name="name"/> (all types) and its failures.</summary>
    public TestZone Remove(string name)
    {
        _records.TryRemove(Key(name), out _);
        foreach (var key in _failures.Keys.Where(k => k.StartsWith(Key(name) + "|", StringComparison.OrdinalIgnoreCase)))
        {
            _failures.TryRemove(key, out _);
        }

        return this;
    }

    /// <summary>Replaces the TXT records of a name with one record.</summary>
    public TestZone ReplaceTxt(string name, params string[] characterStrings)
    {
        if (_records.TryGetValue(Key(name), out var bag))
        {
            _records[Key(name)] = new ConcurrentBag<TestRecord>(bag.Where(r => r is not TestRecord.Txt));
        }

        return Txt(name, characterStrings);
    }

    internal TestFailureKind? FailureFor(string name, TestRecordType type)
    {
        if (_failures.TryGetValue($"{Key(name)}|{type}", out var specific))
        {
            return specific.Kind;
        }

        if (_failures.TryGetValue($"{Key(name)}|*", out var any))
        {
            return any.Kind;
        }

        var key = Key(name);
        return !_absentTimeoutPrefixes.IsEmpty && !NameExists(name) && _absentTimeoutPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))
            ? TestFailureKind.Timeout
            : null;
    }

    internal IReadOnlyCollection<TestRecord>? RecordsOf(string name) =>
        _records.TryGetValue(Key(name), out var bag) ? bag.ToArray() : null;

    internal bool NameExists(string name)
    {
        var key = Key(name);
        // A name exists when it owns records, or when a name below it does (an empty non-terminal).
        return _records.ContainsKey(key) || _records.Keys.Any(k => k.EndsWith("." + key, StringComparison.OrdinalIgnoreCase));
    }

    public static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (bytes.Length == 4)
        {
            return string.Join('.', bytes.Reverse()) + ".in-addr.arpa";
        }

        var nibbles = bytes.Reverse().SelectMany(b => new[] { (b & 0x0F).ToString("x"), (b >> 4).ToString("x") });
        return string.Join('.', nibbles) + ".ip6.arpa";
    }

    private TestZone Add(string name, TestRecord record)
    {
        _records.GetOrAdd(Key(name), _ => []).Add(record);
        return this;
    }

    private TestZone Fail(string name, TestRecordType? type, TestFailureKind kind)
    {
        _failures[$"{Key(name)}|{(type?.ToString() ?? "*")}"] = new TestFailure(kind);
        return this;
    }

    private static string Key(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

    private sealed record TestFailure(TestFailureKind Kind);
}

public enum TestRecordType
{
    A,
    AAAA,
    CNAME,
    MX,
    PTR,
    TXT,
    NS,
}

internal enum TestFailureKind
{
    Timeout,
    ServFail,
    Refused,
}

internal abstract record TestRecord
{
    internal sealed record Txt(string[] Strings) : TestRecord;

    internal sealed record Address(IPAddress Value) : TestRecord;

    internal sealed record Mx(ushort Preference, string Exchange) : TestRecord;

    internal sealed record Ptr(string Target) : TestRecord;

    internal sealed record Cname(string Target) : TestRecord;

    internal sealed record Marker : TestRecord;
}
