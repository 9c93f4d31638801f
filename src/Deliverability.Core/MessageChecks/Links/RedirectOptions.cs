namespace Deliverability.Core.MessageChecks.Links;

/// <summary>
/// Following the message's links to where they redirect (<c>Monitor:MessageChecks:Redirects</c>). Off until
/// <see cref="AllowedHosts"/> names the hosts that may be asked: a check never requests a host nobody allowed.
/// </summary>
public sealed class RedirectOptions
{
    /// <summary>Hosts whose links may be requested (<c>click.example.com</c>, <c>*.example.com</c>); empty, the default: no link is followed.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Redirects followed per link at most.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Links followed per message at most.</summary>
    public int MaxLinks { get; set; } = 20;

    /// <summary>Seconds one request may take.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    public bool Enabled => AllowedHosts.Count > 0;

    public IEnumerable<string> Problems(string key)
    {
        foreach (var problem in HostPatterns.Problems(AllowedHosts, key + ":AllowedHosts"))
        {
            yield return problem;
        }

        if (MaxRedirects is < 1 or > 20)
        {
            yield return $"{key}:MaxRedirects: 1 to 20 (was {MaxRedirects})";
        }

        if (MaxLinks is < 1 or > 200)
        {
            yield return $"{key}:MaxLinks: 1 to 200 (was {MaxLinks})";
        }

        if (TimeoutSeconds is <= 0 or > 120)
        {
            yield return $"{key}:TimeoutSeconds: more than 0, at most 120";
        }
    }
}
