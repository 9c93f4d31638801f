using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>The state of one evaluation: counters, trace, and answers already read (no name is asked twice).</summary>
internal sealed class SpfRun(IDnsResolver dns, SpfEvaluatorOptions options, SpfMacroValues values, CancellationToken cancellationToken)
{
    private const int MaxNamesPerMechanism = 10;
    private readonly Dictionary<(string Name, DnsRecordType Type), DnsResponse> _answers = [];
    private readonly List<string> _trace = [];
    private List<string>? _validatedNames;

    public int Lookups { get; private set; }

    public int VoidLookups { get; private set; }

    public IReadOnlyList<string> Trace => _trace;

    public void Note(string line) => _trace.Add(line);

    public async Task<SpfOutcome> CheckHostAsync(string domain, bool wantExplanation)
    {
        var record = await FindRecordAsync(domain).ConfigureAwait(false);
        if (record is null)
        {
            return new SpfOutcome(SpfResult.None, null, null, null);
        }

        foreach (var mechanism in record.Mechanisms)
        {
            if (mechanism.CountsAsLookup)
            {
                CountLookup(mechanism.Text);
            }

            if (!await MatchesAsync(mechanism, domain).ConfigureAwait(false))
            {
                continue;
            }

            var result = mechanism.Result;
            Note($"{domain}: '{mechanism.Text}' matched: {SpfEvaluation.ToText(result)}");
            var explanation = result == SpfResult.Fail && wantExplanation && record.Explanation is not null
                ? await ExplainAsync(record.Explanation, domain).ConfigureAwait(false)
                : null;
            return new SpfOutcome(result, mechanism.Text, domain, explanation);
        }

        if (record.Redirect is not null)
        {
            CountLookup("redirect=" + record.Redirect.Text);
            var target = await TargetNameAsync(record.Redirect, domain).ConfigureAwait(false)
                ?? throw new SpfAbortException(SpfResult.PermError, $"redirect={record.Redirect.Text} in {domain} does not expand to a valid domain");
            var outcome = await CheckHostAsync(target, wantExplanation).ConfigureAwait(false);
            return outcome.Result == SpfResult.None
                ? throw new SpfAbortException(SpfResult.PermError, $"redirect={record.Redirect.Text} in {domain} points to {target}, which has no SPF record")
                : outcome;
        }

        Note($"{domain}: no mechanism matched: neutral");
        return new SpfOutcome(SpfResult.Neutral, null, null, null);
    }

    /// <summary>The one SPF record of a domain; null when there is none (the name does not exist or has no v=spf1 TXT).</summary>
    private async Task<SpfRecord?> FindRecordAsync(string domain)
    {
        var response = await QueryAsync(domain, DnsRecordType.TXT).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            throw new SpfAbortException(SpfResult.TempError, $"the SPF record of {domain} could not be read: {response.Describe()}");
        }

        string? text = null;
        foreach (var txt in response.Records<TxtRecord>())
        {
            var joined = txt.Text;
            if (!SpfRecord.IsSpfRecord(joined))
            {
                continue;
            }

            if (text is not null)
            {
                throw new SpfAbortException(SpfResult.PermError, $"{domain} publishes more than one SPF record (v=spf1)");
            }

            text = joined;
        }

        if (text is null)
        {
            Note($"{domain}: no SPF record");
            return null;
        }

        Note($"{domain}: {text}");
        return SpfRecord.TryParse(text, out var record, out var error)
            ? record
            : throw new SpfAbortException(SpfResult.PermError, $"the SPF record of {domain} is invalid: {error}");
    }

    private void CountLookup(string term)
    {
        if (++Lookups > options.MaxLookups)
        {
            throw new SpfAbortException(SpfResult.PermError, $"more than {options.MaxLookups} DNS-querying mechanisms and modifiers (at '{term}')");
        }
    }

    private void CountVoid(string term, DnsResponse response)
    {
        Note($"void lookup for '{term}': {response.Describe()}");
        if (++VoidLookups > options.MaxVoidLookups)
        {
            throw new SpfAbortException(SpfResult.PermError, $"more than {options.MaxVoidLookups} lookups found nothing (at '{term}')");
        }
    }

    private async Task<bool> MatchesAsync(SpfMechanism mechanism, string domain)
    {
        switch (mechanism.Kind)
        {
            case SpfMechanismKind.All:
                return true;

            case SpfMechanismKind.Ip4 or SpfMechanismKind.Ip6:
                return InNetwork(values.Ip, mechanism.Network!, mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Ip4Prefix : mechanism.Ip6Prefix);

            case SpfMechanismKind.Include:
            {
                var target = await TargetNameAsync(mechanism.DomainSpec!, domain).ConfigureAwait(false)
                    ?? throw new SpfAbortException(SpfResult.PermError, $"'{mechanism.Text}' in {domain} does not expand to a valid domain");
                var inner = await CheckHostAsync(target, wantExplanation: false).ConfigureAwait(false);
                return inner.Result switch
                {
                    SpfResult.Pass => true,
                    SpfResult.None => throw new SpfAbortException(SpfResult.PermError, $"'{mechanism.Text}' in {domain}: {target} has no SPF record"),
                    _ => false,
                };
            }

            case SpfMechanismKind.A:
            {
                var target = mechanism.DomainSpec is null ? domain : await TargetNameAsync(mechanism.DomainSpec, domain).ConfigureAwait(false);
                if (target is null)
                {
                    return false;
                }

                var response = await AddressesAsync(target, mechanism.Text, countVoid: true).ConfigureAwait(false);
                return AnyInNetwork(response, mechanism);
            }

            case SpfMechanismKind.Mx:
                return await MatchesMxAsync(mechanism, domain).ConfigureAwait(false);

            case SpfMechanismKind.Ptr:
            {
                var target = mechanism.DomainSpec is null ? domain : await TargetNameAsync(mechanism.DomainSpec, domain).ConfigureAwait(false);
                if (target is null)
                {
                    return false;
                }

                foreach (var name in await ValidatedNamesAsync(mechanism.Text, target).ConfigureAwait(false))
                {
                    if (IsSameOrSubdomain(name, target))
                    {
                        return true;
                    }
                }

                return false;
            }

            case SpfMechanismKind.Exists:
            {
                var target = await TargetNameAsync(mechanism.DomainSpec!, domain).ConfigureAwait(false);
                if (target is null)
                {
                    return false;
                }

                // Always an A query, whatever the client's address family (section 5.7).
                var response = await QueryAsync(target, DnsRecordType.A).ConfigureAwait(false);
                ThrowIfTemporary(response, mechanism.Text);
                if (response.IsEmpty)
                {
                    CountVoid(mechanism.Text, response);
                    return false;
                }

                return true;
            }

            default:
                return false;
        }
    }

    private async Task<bool> MatchesMxAsync(SpfMechanism mechanism, string domain)
    {
        var target = mechanism.DomainSpec is null ? domain : await TargetNameAsync(mechanism.DomainSpec, domain).ConfigureAwait(false);
        if (target is null)
        {
            return false;
        }

        var response = await QueryAsync(target, DnsRecordType.MX).ConfigureAwait(false);
        ThrowIfTemporary(response, mechanism.Text);
        if (response.IsEmpty)
        {
            CountVoid(mechanism.Text, response);
            return false;
        }

        var exchanges = response.Records<MxRecord>().OrderBy(m => m.Preference).Select(m => m.Exchange).ToArray();
        if (exchanges.Length > MaxNamesPerMechanism)
        {
            throw new SpfAbortException(SpfResult.PermError, $"'{mechanism.Text}': {target} has {exchanges.Length} MX records (at most {MaxNamesPerMechanism} may be looked up)");
        }

        foreach (var exchange in exchanges)
        {
            // A null MX (".") names no host.
            if (exchange.Length == 0 || !DnsNames.IsQueryable(exchange, out _))
            {
                continue;
            }

            var addresses = await AddressesAsync(exchange, mechanism.Text, countVoid: false).ConfigureAwait(false);
            if (AnyInNetwork(addresses, mechanism))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<DnsResponse> AddressesAsync(string name, string term, bool countVoid)
    {
        var response = await QueryAsync(name, values.IsIPv6 ? DnsRecordType.AAAA : DnsRecordType.A).ConfigureAwait(false);
        ThrowIfTemporary(response, term);
        if (countVoid && response.IsEmpty)
        {
            CountVoid(term, response);
        }

        return response;
    }

    private bool AnyInNetwork(DnsResponse response, SpfMechanism mechanism)
    {
        var prefix = values.IsIPv6 ? mechanism.Ip6Prefix : mechanism.Ip4Prefix;
        foreach (var record in response.Records<AddressRecord>())
        {
            if (InNetwork(values.Ip, record.Address, prefix))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The client's validated names (section 5.5): PTR names (at most 10) whose addresses include the client.
    /// With <paramref name="target"/>, only names under it are validated (the others cannot match).
    /// </summary>
    private async Task<IReadOnlyList<string>> ValidatedNamesAsync(string term, string? target)
    {
        if (target is null && _validatedNames is not null)
        {
            return _validatedNames;
        }

        var response = await QueryAsync(DnsNames.ReverseName(values.Ip), DnsRecordType.PTR).ConfigureAwait(false);

        // A DNS error on the PTR query makes the mechanism not match (section 5.5), it is not a temperror.
        if (response.IsTemporaryFailure)
        {
            Note($"'{term}': {response.Describe()}: no validated name");
            return [];
        }

        if (response.IsEmpty)
        {
            if (target is not null)
            {
                CountVoid(term, response);
            }

            return [];
        }

        var validated = new List<string>();
        foreach (var name in response.Records<PtrRecord>().Select(p => p.Target).Take(MaxNamesPerMechanism))
        {
            if (target is not null && !IsSameOrSubdomain(name, target))
            {
                continue;
            }

            if (name.Length == 0 || !DnsNames.IsQueryable(name, out _))
            {
                continue;
            }

            var addresses = await QueryAsync(name, values.IsIPv6 ? DnsRecordType.AAAA : DnsRecordType.A).ConfigureAwait(false);

            // A DNS error on one name skips that name (section 5.5).
            if (addresses.Records<AddressRecord>().Any(a => a.Address.Equals(values.Ip)))
            {
                validated.Add(name);
            }
        }

        if (target is null)
        {
            _validatedNames = validated;
        }

        return validated;
    }

    private async Task ResolveValidatedNameAsync(string domain)
    {
        var names = await ValidatedNamesAsync("%{p}", null).ConfigureAwait(false);

        // Section 7.3: prefer the domain itself, then a name under it, then any validated name.
        values.ValidatedName = names.FirstOrDefault(n => n == domain)
            ?? names.FirstOrDefault(n => IsSameOrSubdomain(n, domain))
            ?? names.FirstOrDefault();
    }

    /// <summary>Expands a domain-spec into a name to query; null when the result cannot be a DNS name (no match).</summary>
    private async ValueTask<string?> TargetNameAsync(SpfMacroString spec, string domain)
    {
        if (spec.UsesValidatedName)
        {
            await ResolveValidatedNameAsync(domain).ConfigureAwait(false);
        }

        var name = DnsNames.Normalize(spec.Expand(values, domain));

        // Section 7.3: an expansion longer than 253 characters loses labels on the left.
        while (name.Length > 253)
        {
            var dot = name.IndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            name = name[(dot + 1)..];
        }

        if (!DnsNames.IsQueryable(name, out var invalid))
        {
            Note($"'{spec.Text}' expands to '{name}', which cannot be queried ({invalid}): no match");
            return null;
        }

        return name;
    }

    private async Task<string?> ExplainAsync(SpfMacroString spec, string domain)
    {
        try
        {
            var target = await TargetNameAsync(spec, domain).ConfigureAwait(false);
            if (target is null)
            {
                return null;
            }

            // Not counted against either limit (sections 4.6.4 and 6.2); any problem means "no exp=".
            var response = await QueryAsync(target, DnsRecordType.TXT).ConfigureAwait(false);
            var texts = response.Records<TxtRecord>().ToArray();
            if (response.Status != DnsStatus.NoError || texts.Length != 1)
            {
                Note($"exp={spec.Text}: ignored ({(texts.Length > 1 ? $"{texts.Length} TXT records" : response.Describe())})");
                return null;
            }

            if (!SpfMacroString.TryParseExplanation(texts[0].Text, out var text, out var error))
            {
                Note($"exp={spec.Text}: ignored ({error})");
                return null;
            }

            if (text.UsesValidatedName)
            {
                await ResolveValidatedNameAsync(domain).ConfigureAwait(false);
            }

            return text.Expand(values, domain);
        }
        catch (SpfAbortException ex)
        {
            Note($"exp={spec.Text}: ignored ({ex.Message})");
            return null;
        }
    }

    private static void ThrowIfTemporary(DnsResponse response, string term)
    {
        if (response.IsTemporaryFailure)
        {
            throw new SpfAbortException(SpfResult.TempError, $"'{term}': {response.Describe()}");
        }
    }

    private async Task<DnsResponse> QueryAsync(string name, DnsRecordType type)
    {
        if (_answers.TryGetValue((name, type), out var cached))
        {
            return cached;
        }

        var response = await dns.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        _answers[(name, type)] = response;
        _trace.Add($"{type} {name}: {response.Describe()}");
        return response;
    }

    private static bool IsSameOrSubdomain(string name, string domain) =>
        name.Length == domain.Length
            ? name.Equals(domain, StringComparison.OrdinalIgnoreCase)
            : name.Length > domain.Length && name[^(domain.Length + 1)] == '.' && name.EndsWith(domain, StringComparison.OrdinalIgnoreCase);

    internal static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(a, out var length);
        network.TryWriteBytes(b, out _);
        var fullBytes = prefix / 8;
        if (!a[..fullBytes].SequenceEqual(b[..fullBytes]))
        {
            return false;
        }

        var bits = prefix % 8;
        if (bits == 0 || fullBytes >= length)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - bits));
        return (a[fullBytes] & mask) == (b[fullBytes] & mask);
    }
}

/// <summary>What one level of check_host() decided.</summary>
internal sealed record SpfOutcome(SpfResult Result, string? Mechanism, string? Domain, string? Explanation);
