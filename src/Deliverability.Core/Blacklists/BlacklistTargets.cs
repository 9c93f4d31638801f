using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Deliverability.Core.Monitoring;

namespace Deliverability.Core.Blacklists;

/// <summary>
/// The IPs and domains to check: those of every monitored domain (<see cref="MonitoredDomainCatalog"/>: <c>Monitor:Domains</c>
/// and the domains added from the dashboard), then <c>Monitor:Blacklists:Targets</c>; with the sending domain each belongs
/// to, for the alerts' <c>domain</c> label. <see cref="Of(MonitoredDomain)"/> is the one place a domain's targets are derived.
/// </summary>
/// <remarks>
/// Kept in memory so <see cref="Current"/> is a plain read (the dashboard and every alert evaluation ask for it): it is
/// read from the catalog again before each check, and in the background as soon as the catalog reports a change.
/// </remarks>
public sealed partial class BlacklistTargets
{
    private readonly IOptions<BlacklistOptions> _options;
    private readonly MonitoredDomainCatalog _domains;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile TargetSet _current;
    private volatile bool _loaded;

    public BlacklistTargets(MonitoredDomainCatalog domains, IOptions<BlacklistOptions> options, ILogger<BlacklistTargets>? logger = null)
    {
        _options = options;
        _domains = domains;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _current = TargetSet.Of(domains.ConfiguredDomains, options.Value);
        domains.Changed += () => _ = RefreshInBackgroundAsync();
    }

    /// <summary>The targets as last read (configuration only until the first read of the catalog).</summary>
    public IReadOnlyList<BlacklistTarget> Current => _current.Targets;

    /// <summary>The monitored sending domain <paramref name="target"/> (normalized) belongs to, or null.</summary>
    public string? OwnerOf(string target) => _current.Owners.GetValueOrDefault(target);

    /// <summary>
    /// What is looked up for one monitored domain: its name, return-path and DKIM signing domains (asked of domain lists)
    /// and its sending IPs (asked of IP lists); each once, in that order. A value that does not parse is left out (the
    /// settings are validated where they are entered).
    /// </summary>
    public static IReadOnlyList<BlacklistTarget> Of(MonitoredDomain domain)
    {
        var targets = new List<BlacklistTarget>(3 + domain.SendingIps.Count);
        foreach (var text in new[] { domain.Name, domain.ReturnPathDomain, domain.DkimSigningDomain }.Concat(domain.SendingIps))
        {
            if (!string.IsNullOrWhiteSpace(text) && BlacklistTarget.TryParse(text, out var target, out _) && !targets.Contains(target))
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    /// <summary>Reads the catalog now and returns the targets.</summary>
    public async Task<IReadOnlyList<BlacklistTarget>> RefreshAsync(CancellationToken cancellationToken)
    {
        // One read at a time: a read started later (after a later change) also ends later and wins.
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var domains = await _domains.GetAllAsync(cancellationToken).ConfigureAwait(false);
            _current = TargetSet.Of(domains, _options.Value);
            _loaded = true;
            return _current.Targets;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Reads the catalog once if it was never read (after a start, before the first check).</summary>
    public Task EnsureLoadedAsync(CancellationToken cancellationToken) => _loaded ? Task.CompletedTask : RefreshAsync(cancellationToken);

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The next check reads the catalog again.
            LogRefreshFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the monitored domains for the blacklist targets; the next check reads them again")]
    private partial void LogRefreshFailed(Exception exception);

    private sealed record TargetSet(IReadOnlyList<BlacklistTarget> Targets, IReadOnlyDictionary<string, string> Owners)
    {
        public static TargetSet Of(IEnumerable<CatalogDomain> domains, BlacklistOptions options)
        {
            var list = domains.ToList();
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var domain in list)
            {
                foreach (var target in BlacklistTargets.Of(domain.Domain))
                {
                    owners.TryAdd(target.Text, domain.Name.Ascii);
                }
            }

            return new TargetSet(BlacklistConfiguration.Targets(list.Select(d => d.Domain), options), owners);
        }
    }
}
