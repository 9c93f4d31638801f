using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// The reverse proxies (for example the TLS terminator) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// believed. Bound from the <c>ForwardedHeaders</c> section; empty (the default) believes no one.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>IP addresses of the proxies, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool IsEmpty => KnownProxies.Count == 0 && KnownNetworks.Count == 0;
}

/// <summary>Every address or network of <see cref="TrustedProxyOptions"/> that does not parse, named by its key.</summary>
public sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IsWrittenOut(options.KnownProxies[i]))
            {
                problems.Add($"{TrustedProxyOptions.SectionName}:KnownProxies:{i}: '{options.KnownProxies[i]}' is not an IP address");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!options.KnownNetworks[i].Contains('/', StringComparison.Ordinal) || !System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                problems.Add($"{TrustedProxyOptions.SectionName}:KnownNetworks:{i}: '{options.KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/8 or fd00::/8)");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    // IPAddress.TryParse also reads "12345" or "10.1" as IPv4 addresses; a proxy is named in full.
    private static bool IsWrittenOut(string address) =>
        IPAddress.TryParse(address, out var parsed)
        && (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || address.Count(c => c == '.') == 3);
}

internal static class TrustedProxiesRegistration
{
    /// <summary>Binds and validates <see cref="TrustedProxyOptions"/> and turns them into ASP.NET Core's forwarded-headers options.</summary>
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TrustedProxyOptions, TrustedProxyOptionsValidator>(TrustedProxyOptions.SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            // Only the client address and the scheme: the sign-in throttling needs the one, the cookie's Secure flag the other.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here only what is configured counts.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Each hop is believed only while it comes from a known proxy, so a chain of them needs no count.
            forwarded.ForwardLimit = null;
            foreach (var proxy in trusted.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>The forwarded-headers middleware, first in the pipeline, when any proxy is configured.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value.IsEmpty)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
