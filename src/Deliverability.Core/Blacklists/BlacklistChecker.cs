using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Blacklists;

/// <summary>Tuning of <see cref="BlacklistChecker"/>.</summary>
public sealed class BlacklistCheckerOptions
{
    /// <summary>Queries in flight at once across all zones.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Ask the TXT record of a listing for the list's own reason text (one more query per listing).</summary>
    public bool QueryReasonText { get; set; } = true;
}

/// <summary>
/// Asks DNS block lists about IP addresses and domains. Each zone is self-tested first (RFC 5782); then every
/// (target, zone) pair is asked concurrently and decoded into exactly one <see cref="BlacklistStatus"/>.
/// One zone failing (timeout, SERVFAIL, an exception) yields an Error verdict for it and never stops the others.
/// With a <see cref="BlacklistAnswerCache"/>, answers (self-test ones too) are reused for their TTL; with a
/// <see cref="BlacklistQueryBudget"/>, each query that reaches DNS takes from its zone's budget, and a zone over its
/// daily cap gives capped Error verdicts (<see cref="BlacklistVerdict.Capped"/>) without being asked.
/// </summary>
public sealed class BlacklistChecker(IDnsResolver dns, BlacklistCheckerOptions? options = null, BlacklistAnswerCache? cache = null, BlacklistQueryBudget? budget = null)
{
    private readonly BlacklistCheckerOptions _options = options ?? new BlacklistCheckerOptions();
    private readonly IDnsResolver _dns = dns;
    private readonly BlacklistAnswerCache? _cache = cache;
    private readonly BlacklistQueryBudget? _budget = budget;

    public async Task<BlacklistReport> CheckAsync(IEnumerable<BlacklistTarget> targets, IEnumerable<BlacklistZone> zones, CancellationToken cancellationToken = default)
    {
        var targetList = targets.Distinct().ToList();
        var zoneList = zones.DistinctBy(z => z.Name).ToList();
        var pairs = zoneList.SelectMany(z => targetList.Where(z.Covers).Select(t => (Zone: z, Target: t))).ToList();
        var asked = zoneList.Where(z => pairs.Any(p => p.Zone == z)).ToList();

        using var gate = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
        var queries = asked.ToDictionary(z => z.Name, z => new ZoneQueries(this, z, gate));
        var healthTasks = asked.ToDictionary(
            z => z.Name,
            z => SelfTestAsync(queries[z.Name], pairs.Any(p => p.Zone == z && p.Target.IsIpv6), cancellationToken));
        var verdicts = await Task.WhenAll(pairs.Select(p => VerdictAsync(queries[p.Zone.Name], p.Target, healthTasks[p.Zone.Name], cancellationToken)));
        var healths = await Task.WhenAll(healthTasks.Values);
        return new BlacklistReport(verdicts, healths);
    }

    /// <summary>Checks one target against <paramref name="zones"/> (the zones that do not cover it are skipped).</summary>
    public async Task<IReadOnlyList<BlacklistVerdict>> CheckAsync(BlacklistTarget target, IEnumerable<BlacklistZone> zones, CancellationToken cancellationToken = default) =>
        (await CheckAsync([target], zones, cancellationToken)).Verdicts;

    /// <summary>Reads one A response of <paramref name="zone"/> for <paramref name="target"/>, trusting the zone.</summary>
    internal static BlacklistVerdict Decode(BlacklistZone zone, BlacklistTarget target, DnsResponse response)
    {
        var onZone = $"{target.Text} on {zone.DisplayName}";
        switch (response.Status)
        {
            case DnsStatus.NxDomain:
                return new BlacklistVerdict(target, zone, BlacklistStatus.NotListed, [], $"{target.Text} is not listed on {zone.DisplayName}");
            case DnsStatus.Refused:
                return new BlacklistVerdict(target, zone, BlacklistStatus.Refused, [],
                    $"the name server refused to ask {zone.DisplayName} about {target.Text}: the resolver may not be allowed to query this list");
            case not DnsStatus.NoError:
                return new BlacklistVerdict(target, zone, BlacklistStatus.Error, [], $"no verdict for {onZone}: {response.Describe()}");
        }

        var codes = response.Records<AddressRecord>()
            .Select(r => r.Address.IsIPv4MappedToIPv6 ? r.Address.MapToIPv4() : r.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .Distinct()
            .OrderBy(BlacklistCode.ToNumber)
            .ToList();
        if (codes.Count == 0)
        {
            return new BlacklistVerdict(target, zone, BlacklistStatus.NotListed, [], $"{target.Text} is not listed on {zone.DisplayName}");
        }

        var answers = codes.Select(zone.Decode).ToList();
        var unexpected = answers.Where(a => a.Kind == BlacklistAnswerKind.Unexpected).ToList();
        if (unexpected.Count > 0)
        {
            return new BlacklistVerdict(target, zone, BlacklistStatus.Error, codes,
                $"no verdict for {onZone}: the answer {string.Join(", ", unexpected.Select(a => a.Code))} is outside 127.0.0.0/8; the resolver probably rewrites answers or the zone name is wrong");
        }

        // Any refusal wins over listing codes: a refused query says nothing about the target.
        var refusals = answers.Where(a => a.Kind == BlacklistAnswerKind.Refusal).ToList();
        if (refusals.Count > 0)
        {
            var why = string.Join("; ", refusals.Select(a => a.Meaning).Distinct());
            return new BlacklistVerdict(target, zone, BlacklistStatus.Refused, codes,
                $"{zone.DisplayName} refused the query about {target.Text} ({why}); this is not a listing. Query the list through your own resolver, not a public or open one")
            { Meaning = why };
        }

        var meaning = string.Join("; ", answers.Select(a => a.Meaning).Distinct());
        var delist = zone.DelistUrl is null ? "" : $"; delisting: {zone.DelistUrl}";
        return new BlacklistVerdict(target, zone, BlacklistStatus.Listed, codes, $"{target.Text} is listed on {zone.DisplayName}: {meaning}{delist}") { Meaning = meaning };
    }

    private static async Task<BlacklistZoneHealth> SelfTestAsync(ZoneQueries queries, bool includeIpv6, CancellationToken cancellationToken)
    {
        var zone = queries.Zone;
        try
        {
            return await BlacklistZoneSelfTest.RunAsync(queries, zone, includeIpv6, cancellationToken);
        }
        catch (BlacklistQueryCappedException ex)
        {
            return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Capped, $"{zone.DisplayName} was not self-tested: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Unreachable, $"{zone.DisplayName} self-test failed: {ex.Message}");
        }
    }

    // The health is awaited outside the gate: a verdict holding a slot while its zone's self-test waits for one would deadlock.
    private async Task<BlacklistVerdict> VerdictAsync(ZoneQueries queries, BlacklistTarget target, Task<BlacklistZoneHealth> healthTask, CancellationToken cancellationToken)
    {
        var zone = queries.Zone;
        BlacklistVerdict verdict;
        try
        {
            var name = target.QueryName(zone);
            verdict = Decode(zone, target, await queries.QueryAsync(name, DnsRecordType.A, cancellationToken));
            var health = await healthTask;
            if (!health.IsTrusted && verdict.Status is BlacklistStatus.Listed or BlacklistStatus.NotListed)
            {
                return verdict with
                {
                    Status = BlacklistStatus.Error,
                    Untrusted = health.Status != BlacklistZoneHealthStatus.Capped,
                    Capped = health.Status == BlacklistZoneHealthStatus.Capped,
                    Message = $"no trusted verdict for {target.Text} on {zone.DisplayName} (it answered {verdict.StatusWord}): {health.Reason}",
                };
            }

            if (verdict.Status == BlacklistStatus.Listed && _options.QueryReasonText)
            {
                verdict = await WithReasonTextAsync(queries, verdict, name, cancellationToken);
            }
        }
        catch (BlacklistQueryCappedException ex)
        {
            verdict = new BlacklistVerdict(target, zone, BlacklistStatus.Error, [], $"no verdict for {target.Text} on {zone.DisplayName}: {ex.Message}") { Capped = true };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            verdict = new BlacklistVerdict(target, zone, BlacklistStatus.Error, [], $"no verdict for {target.Text} on {zone.DisplayName}: {ex.Message}");
        }

        return verdict;
    }

    private static async Task<BlacklistVerdict> WithReasonTextAsync(ZoneQueries queries, BlacklistVerdict verdict, string name, CancellationToken cancellationToken)
    {
        try
        {
            var txt = await queries.QueryAsync(name, DnsRecordType.TXT, cancellationToken);
            var reason = string.Join(" ", txt.TxtStrings).Trim();
            return reason.Length > 0 ? verdict with { ReasonText = reason } : verdict;
        }
        catch (BlacklistQueryCappedException)
        {
            // The listing stands; only its optional reason text is missing.
            return verdict;
        }
    }

    private static async Task<T> Gated<T>(SemaphoreSlim gate, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The queries of one zone: the cache first, then its budget, then DNS within the checker's concurrency.</summary>
    private sealed class ZoneQueries(BlacklistChecker checker, BlacklistZone zone, SemaphoreSlim gate) : IDnsResolver
    {
        public BlacklistZone Zone => zone;

        public async Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            if (checker._cache is { } cache && cache.TryGet(name, type, out var cached))
            {
                return cached;
            }

            if (checker._budget is { } budget && !await budget.TryAcquireAsync(zone, cancellationToken))
            {
                throw new BlacklistQueryCappedException(zone);
            }

            var response = await Gated(gate, () => checker._dns.QueryAsync(name, type, cancellationToken), cancellationToken);
            checker._cache?.Store(response);
            return response;
        }
    }
}

/// <summary>A zone's daily query cap is reached: it is not asked again until the next UTC day.</summary>
public sealed class BlacklistQueryCappedException(BlacklistZone zone)
    : Exception($"the daily cap of {zone.DailyCap:N0} queries to {zone.DisplayName} is reached (Monitor:Blacklists:Zones DailyCap); it is asked again after midnight UTC")
{
    public BlacklistZone Zone { get; } = zone;
}
