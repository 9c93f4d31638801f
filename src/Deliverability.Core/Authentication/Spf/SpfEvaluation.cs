using System.Net;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>The outcome of one check_host() evaluation.</summary>
/// <param name="Result">One of the seven results of RFC 7208 section 2.6.</param>
/// <param name="Ip">The client address as evaluated (an IPv4-mapped IPv6 address is shown as IPv4).</param>
/// <param name="Domain">The domain check_host() started from.</param>
/// <param name="Explanation">For fail: the <c>exp=</c> text of the deciding record, expanded, or a default text; otherwise null.</param>
/// <param name="Mechanism">The directive that decided the result (as written), or null when none matched.</param>
/// <param name="MechanismDomain">The domain whose record holds <paramref name="Mechanism"/>.</param>
/// <param name="Problem">Why the result is permerror or temperror, in words; null otherwise.</param>
/// <param name="LookupCount">Mechanisms and modifiers that cost a DNS lookup (at most 10 are allowed).</param>
/// <param name="VoidLookupCount">Lookups that found nothing (at most 2 are allowed).</param>
/// <param name="Trace">The DNS queries and decisions, in order.</param>
public sealed record SpfEvaluation(
    SpfResult Result,
    IPAddress Ip,
    string Domain,
    string? Explanation,
    string? Mechanism,
    string? MechanismDomain,
    string? Problem,
    int LookupCount,
    int VoidLookupCount,
    IReadOnlyList<string> Trace)
{
    /// <summary>The explanation given when a failing record has no usable <c>exp=</c>.</summary>
    public static string DefaultExplanation(string domain, IPAddress ip) =>
        $"{domain} does not designate {ip} as a permitted sender (SPF fail)";

    /// <summary>The result as RFC 7208 writes it: <c>pass</c>, <c>fail</c>, <c>softfail</c>, <c>neutral</c>, <c>none</c>, <c>temperror</c>, <c>permerror</c>.</summary>
    public string ResultText => ToText(Result);

    public static string ToText(SpfResult result) => result switch
    {
        SpfResult.Pass => "pass",
        SpfResult.Fail => "fail",
        SpfResult.SoftFail => "softfail",
        SpfResult.Neutral => "neutral",
        SpfResult.None => "none",
        SpfResult.TempError => "temperror",
        _ => "permerror",
    };
}
