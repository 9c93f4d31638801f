using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks.Links;
using Deliverability.Core.MessageChecks.Mailbox;

namespace Deliverability.Core.MessageChecks;

/// <summary><c>Monitor:MessageChecks</c>: limits and engines of the message check.</summary>
public sealed class MessageCheckOptions
{
    public const string SectionName = "Monitor:MessageChecks";

    /// <summary>The largest message accepted (upload or mailbox), in bytes.</summary>
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>URI block lists asked about link and image domains (zone names); empty: Spamhaus DBL, SURBL and URIBL.</summary>
    public List<string> UriBlocklists { get; set; } = [];

    /// <summary>Past checks kept; the oldest go first.</summary>
    public int MaxStoredChecks { get; set; } = 500;

    /// <summary>Checks run at once (renders and spamd are heavy); more wait in line.</summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Checks that may wait for a free place; beyond, an upload is refused (HTTP 429 with Retry-After).</summary>
    public int MaxQueued { get; set; } = 4;

    public SpamAssassinOptions SpamAssassin { get; set; } = new();

    public RenderOptions Render { get; set; } = new();

    public RedirectOptions Redirects { get; set; } = new();

    public CheckMailboxOptions Mailbox { get; set; } = new();

    /// <summary>The zones of <see cref="UriBlocklists"/>.</summary>
    public IReadOnlyList<BlacklistZone> Zones() =>
        UriBlocklists.Count == 0 ? Links.LinkDomainListings.DefaultZones : [.. UriBlocklists.Select(n => BlacklistZoneSpec.Parse(n, BlacklistZoneKind.Domain))];

    /// <summary>Every problem, each naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        const string Prefix = SectionName;
        if (MaxMessageBytes is < 1024 or > 50 * 1024 * 1024)
        {
            yield return $"{Prefix}:MaxMessageBytes: 1024 to 52428800 (was {MaxMessageBytes})";
        }

        if (MaxStoredChecks is < 1 or > 100_000)
        {
            yield return $"{Prefix}:MaxStoredChecks: 1 to 100000 (was {MaxStoredChecks})";
        }

        if (MaxConcurrent is < 1 or > 64)
        {
            yield return $"{Prefix}:MaxConcurrent: 1 to 64 (was {MaxConcurrent})";
        }

        if (MaxQueued is < 0 or > 1000)
        {
            yield return $"{Prefix}:MaxQueued: 0 to 1000 (was {MaxQueued})";
        }

        for (var i = 0; i < UriBlocklists.Count; i++)
        {
            string? problem = null;
            try
            {
                BlacklistZoneSpec.Parse(UriBlocklists[i], BlacklistZoneKind.Domain);
            }
            catch (FormatException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                yield return $"{Prefix}:UriBlocklists:{i}: {problem}";
            }
        }

        if (SpamAssassin.Address.Length > 0 && !DnsOptions.TryParseEndpoint(SpamAssassin.Address, out _, out var error))
        {
            yield return $"{Prefix}:SpamAssassin:Address: {error}";
        }

        if (SpamAssassin.TimeoutSeconds is <= 0 or > 600)
        {
            yield return $"{Prefix}:SpamAssassin:TimeoutSeconds: more than 0, at most 600";
        }

        if (Render.TimeoutSeconds is <= 0 or > 600)
        {
            yield return $"{Prefix}:Render:TimeoutSeconds: more than 0, at most 600";
        }

        foreach (var problem in HostPatterns.Problems(Render.AllowedHosts, $"{Prefix}:Render:AllowedHosts"))
        {
            yield return problem;
        }

        foreach (var problem in Redirects.Problems($"{Prefix}:Redirects"))
        {
            yield return problem;
        }

        foreach (var problem in Mailbox.Problems($"{Prefix}:Mailbox"))
        {
            yield return problem;
        }
    }
}

/// <summary>Where SpamAssassin's spamd is: a configured address, or a private one the service starts.</summary>
public sealed class SpamAssassinOptions
{
    /// <summary>Ask SpamAssassin at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>host:port</c> of a running spamd; empty starts a private one on 127.0.0.1 (network tests off).</summary>
    public string Address { get; set; } = "";

    /// <summary>The spamd program started when <see cref="Address"/> is empty.</summary>
    public string SpamdPath { get; set; } = "/usr/sbin/spamd";

    /// <summary>Seconds to wait for one verdict.</summary>
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>Seconds a private spamd may take to load its rules.</summary>
    public double StartTimeoutSeconds { get; set; } = 120;
}

/// <summary>The inbox preview renders.</summary>
public sealed class RenderOptions
{
    public bool Enabled { get; set; } = true;

    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>
    /// Hosts the preview may load images and styles from (<c>cdn.example.com</c>, <c>*.example.com</c>). Empty, the
    /// default: nothing remote is loaded, so a preview never fires tracking pixels nor reaches the internet.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Seconds all the renders of one message may take.</summary>
    public double TimeoutSeconds { get; set; } = 90;
}
