using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>The values macros expand to during one check_host() evaluation (RFC 7208 section 7.3).</summary>
public sealed class SpfMacroValues
{
    public SpfMacroValues(IPAddress ip, string sender, string helo, string receiver, DateTimeOffset timestamp)
    {
        Ip = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        Sender = sender;
        var at = sender.LastIndexOf('@');
        LocalPart = at > 0 ? sender[..at] : "postmaster";
        SenderDomain = at >= 0 ? sender[(at + 1)..] : sender;
        Helo = helo;
        Receiver = receiver;
        Timestamp = timestamp;
        IsIPv6 = Ip.AddressFamily == AddressFamily.InterNetworkV6;
        ReadableIp = Ip.ToString();
        DottedIp = IsIPv6 ? Nibbles(Ip) : ReadableIp;
    }

    /// <summary>The client address; IPv4-mapped IPv6 addresses are already IPv4 here (section 5, note on IPv4-mapped).</summary>
    public IPAddress Ip { get; }

    public bool IsIPv6 { get; }

    /// <summary><c>%{s}</c>: the full sender (<c>postmaster@helo</c> when MAIL FROM was empty).</summary>
    public string Sender { get; }

    /// <summary><c>%{l}</c>: the local-part, <c>postmaster</c> when the sender had none.</summary>
    public string LocalPart { get; }

    /// <summary><c>%{o}</c>: the sender's domain.</summary>
    public string SenderDomain { get; }

    public string Helo { get; }

    /// <summary><c>%{r}</c>: the receiving host (explanations only).</summary>
    public string Receiver { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary><c>%{i}</c>: dotted quad, or 32 dotted nibbles for IPv6.</summary>
    public string DottedIp { get; }

    /// <summary><c>%{c}</c>: the address in its usual text form (explanations only).</summary>
    public string ReadableIp { get; }

    /// <summary><c>%{p}</c>: set by the evaluator before expanding a string that uses it; null means "unknown".</summary>
    public string? ValidatedName { get; internal set; }

    internal bool ValidatedNameResolved { get; set; }

    private static string Nibbles(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var builder = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Hex(b >> 4)).Append('.').Append(Hex(b & 0x0F));
        }

        return builder.ToString();
    }

    private static char Hex(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
