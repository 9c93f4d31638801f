using System.Net;

namespace Deliverability.Core.Dns;

/// <summary>The record types the product asks for.</summary>
public enum DnsRecordType
{
    A,
    AAAA,
    CNAME,
    MX,
    NS,
    PTR,
    TXT,
}

/// <summary>One resource record of an answer, in our own types so that nothing above the DNS layer sees DnsClient.</summary>
public abstract record DnsRecord(string Name, uint Ttl);

/// <summary>An A or AAAA record.</summary>
public sealed record AddressRecord(string Name, uint Ttl, IPAddress Address) : DnsRecord(Name, Ttl);

/// <summary>A TXT record; <see cref="Strings"/> keeps the character-strings apart (SPF and DKIM join them with nothing between).</summary>
public sealed record TxtRecord(string Name, uint Ttl, IReadOnlyList<string> Strings) : DnsRecord(Name, Ttl)
{
    /// <summary>The character-strings concatenated, as RFC 7208 section 3.3 and RFC 6376 section 3.6.2.2 read them.</summary>
    /// <remarks>Most records are one string: that string itself, not a copy (SPF, DKIM and DMARC read it on every audit).</remarks>
    public string Text => Strings.Count == 1 ? Strings[0] : string.Concat(Strings);
}

public sealed record MxRecord(string Name, uint Ttl, ushort Preference, string Exchange) : DnsRecord(Name, Ttl);

public sealed record PtrRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl);

public sealed record CnameRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl);

public sealed record NsRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl);
