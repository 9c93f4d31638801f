using System.Globalization;
using System.Net;

namespace Deliverability.Core.Dns;

/// <summary>Where and how to ask DNS. Bound from the <c>Dns</c> configuration section and from the CLI's --dns options.</summary>
public sealed class DnsOptions
{
    public const string SectionName = "Dns";

    /// <summary>Name servers as <c>host:port</c> (<c>127.0.0.1:5353</c>, <c>[::1]:53</c>, <c>9.9.9.9</c>); empty = the system's.</summary>
    public List<string> NameServers { get; set; } = [];

    /// <summary>Seconds to wait for one attempt.</summary>
    public double TimeoutSeconds { get; set; } = 3;

    /// <summary>Attempts after the first one on a timeout.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// Keep answers for their TTL. Off by default: the audit benchmark measured that caching 10,000 domains' answers
    /// costs about 180 MB for 1-3 saved queries per audit, and a monitor should see a record change as soon as it is served.
    /// </summary>
    public bool UseCache { get; set; }

    /// <summary>Parses <c>host:port</c>; the host must be an IP address or <c>localhost</c>; the port defaults to 53.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 53);
        error = "";
        var value = text.Trim();
        if (value.Length == 0)
        {
            error = "a name server is empty";
            return false;
        }

        string host = value;
        var port = 53;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']');
            if (close < 0)
            {
                error = $"'{text}' has '[' without ']'";
                return false;
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryParsePort(rest[1..], out port)))
            {
                error = $"'{text}' has an invalid port";
                return false;
            }
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':');
            host = value[..colon];
            if (!TryParsePort(value[(colon + 1)..], out port))
            {
                error = $"'{text}' has an invalid port (1-65535)";
                return false;
            }
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            host = "127.0.0.1";
        }

        if (!IpAddressText.TryParse(host, out var address))
        {
            error = $"'{text}' is not host:port with an IP address as host";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>Every problem with these options, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string prefix = SectionName)
    {
        var problems = new List<string>();
        for (var i = 0; i < NameServers.Count; i++)
        {
            if (!TryParseEndpoint(NameServers[i], out _, out var error))
            {
                problems.Add($"{prefix}:NameServers:{i}: {error}");
            }
        }

        if (!(TimeoutSeconds > 0 && TimeoutSeconds <= 60))
        {
            problems.Add($"{prefix}:TimeoutSeconds: must be more than 0 and at most 60 (was {TimeoutSeconds.ToString(CultureInfo.InvariantCulture)})");
        }

        if (Retries is < 0 or > 10)
        {
            problems.Add($"{prefix}:Retries: must be 0 to 10 (was {Retries})");
        }

        return problems;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
