using System.Globalization;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.MtaSts;

public enum MtaStsMode
{
    Enforce,
    Testing,
    None,
}

/// <summary>
/// The policy file served at <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c> (RFC 8461 section 3.2):
/// <c>version: STSv1</c>, <c>mode</c>, one <c>mx</c> line per allowed MX host pattern, <c>max_age</c> in seconds.
/// </summary>
public sealed record MtaStsPolicy(MtaStsMode Mode, IReadOnlyList<string> MxPatterns, long MaxAgeSeconds)
{
    /// <summary>RFC 8461: max_age is at most 31557600 seconds (about one year).</summary>
    public const long MaxMaxAge = 31_557_600;

    /// <summary>Parses the policy text; each mistake is an error finding, a short max_age a warning.</summary>
    public static MtaStsPolicyParse Parse(string text)
    {
        var problems = new List<Finding>();
        var fields = new List<KeyValuePair<string, string>>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd(' ', '\t', '\r');
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                problems.Add(Error("mtasts.policy_malformed", $"The policy line '{line}' is not of the form 'name: value'.", "Write each policy field on its own line as 'name: value'."));
                continue;
            }

            fields.Add(new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        foreach (var repeated in fields.Where(f => f.Key != "mx").GroupBy(f => f.Key).Where(g => g.Count() > 1))
        {
            problems.Add(Error("mtasts.policy_duplicate_field", $"The policy field '{repeated.Key}' appears {repeated.Count()} times.", $"Keep one '{repeated.Key}' line."));
        }

        string? First(string name) => fields.Where(f => f.Key == name).Select(f => f.Value).FirstOrDefault();

        var version = First("version");
        if (version != "STSv1")
        {
            problems.Add(Error(
                "mtasts.policy_invalid_version",
                version is null ? "The policy has no 'version' field." : $"The policy version '{version}' is not 'STSv1'.",
                "Start the policy with the line 'version: STSv1'."));
        }

        var modeText = First("mode");
        MtaStsMode? mode = modeText switch
        {
            "enforce" => MtaStsMode.Enforce,
            "testing" => MtaStsMode.Testing,
            "none" => MtaStsMode.None,
            _ => null,
        };
        if (mode is null)
        {
            problems.Add(Error(
                "mtasts.policy_invalid_mode",
                modeText is null ? "The policy has no 'mode' field." : $"The policy mode '{modeText}' is not enforce, testing or none.",
                "Add 'mode: testing' while you watch TLS-RPT reports, then 'mode: enforce'."));
        }

        var mx = fields.Where(f => f.Key == "mx").Select(f => DnsNames.Normalize(f.Value)).ToArray();
        foreach (var pattern in mx.Where(p => !IsValidMxPattern(p)))
        {
            problems.Add(Error("mtasts.policy_invalid_mx", $"The policy mx '{pattern}' is not a host name or a '*.' wildcard of one.", "List each MX host as 'mx: mail.example.com' or 'mx: *.example.com'."));
        }

        if (mx.Length == 0 && mode is not MtaStsMode.None)
        {
            problems.Add(Error("mtasts.policy_missing_mx", "The policy lists no 'mx' field; with mode enforce or testing it must list every MX host.", "Add one 'mx: <host or *.domain>' line per MX host of the domain."));
        }

        var maxAgeText = First("max_age");
        long maxAge = -1;
        if (maxAgeText is null
            || maxAgeText.Length is 0 or > 10
            || !long.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out maxAge)
            || maxAge > MaxMaxAge)
        {
            problems.Add(Error(
                "mtasts.policy_invalid_max_age",
                maxAgeText is null ? "The policy has no 'max_age' field." : $"The policy max_age '{maxAgeText}' is not a number of seconds from 0 to {MaxMaxAge}.",
                "Set 'max_age: 604800' (one week) or more, at most 31557600."));
        }
        else if (maxAge < 86_400)
        {
            problems.Add(Finding.Warning(
                "mtasts.policy_short_max_age",
                $"The policy max_age is {maxAge} seconds (under a day): senders forget the policy quickly, which leaves room for downgrade attacks.",
                "Raise max_age to at least 604800 (one week); RFC 8461 suggests weeks or more."));
        }

        var ok = !problems.Any(p => p.Severity == Severity.Error) && mode is not null;
        return new MtaStsPolicyParse(ok ? new MtaStsPolicy(mode!.Value, mx, maxAge) : null, problems);
    }

    /// <summary>Whether an MX host is allowed: exact match, or <c>*.example.com</c> matching exactly one more label.</summary>
    public bool Allows(string mxHost)
    {
        var host = DnsNames.Normalize(mxHost);
        return MxPatterns.Any(pattern => pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.Ordinal) && !host[..^(pattern.Length - 1)].Contains('.') && host.Length > pattern.Length - 1
            : host == pattern);
    }

    // Host names as MX records carry them: ASCII (a U-label would never equal an MX host).
    private static bool IsValidMxPattern(string pattern)
    {
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return System.Text.Ascii.IsValid(host) && DomainName.IsValid(host);
    }

    private static Finding Error(string code, string message, string fix) => Finding.Error(code, message, fix);
}

/// <param name="Policy">The policy, or null when an error makes senders reject it.</param>
public sealed record MtaStsPolicyParse(MtaStsPolicy? Policy, IReadOnlyList<Finding> Problems);
