using System.Text;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>What the audit of one domain's SPF record found.</summary>
/// <param name="Records">The raw v=spf1 TXT records of the domain.</param>
/// <param name="Record">The parsed record when there is exactly one valid record.</param>
/// <param name="Inconclusive">DNS failed temporarily somewhere: the findings are incomplete.</param>
/// <param name="LookupsByMechanism">DNS-querying terms of the whole tree (through include and redirect), per mechanism.</param>
public sealed record SpfAuditReport(
    string Domain,
    IReadOnlyList<string> Records,
    SpfRecord? Record,
    IReadOnlyList<Finding> Findings,
    bool Inconclusive,
    int Lookups,
    int VoidLookups,
    IReadOnlyDictionary<string, int> LookupsByMechanism)
{
    public bool RecordFound => Records.Count == 1;
}

/// <summary>
/// Reads a domain's SPF record and walks it through include and redirect the way a receiver would, without a client IP:
/// syntax, the 10-lookup and 2-void limits, loops, missing includes, deprecated or permissive terms, sizes.
/// </summary>
public sealed class SpfRecordAudit(IDnsResolver dns)
{
    /// <summary>RFC 7208 section 3.4: keep the answer within a 512-byte UDP message.</summary>
    public const int MaxAnswerBytes = 512;

    private const int MaxLookups = 10;
    private const int NearLimit = 8;
    private const int MaxVoidLookups = 2;
    private const int MaxNames = 10;

    public async Task<SpfAuditReport> AuditAsync(string domain, CancellationToken cancellationToken = default)
    {
        var walk = new Walk(dns, DnsNames.Normalize(domain), cancellationToken);
        await walk.RunAsync().ConfigureAwait(false);
        return walk.Report();
    }

    /// <summary>Findings about the TXT character-strings and the answer size; no DNS needed.</summary>
    public static IEnumerable<Finding> SizeFindings(string domain, IReadOnlyList<TxtRecord> answer)
    {
        foreach (var record in answer.Where(r => SpfRecord.IsSpfRecord(r.Text)))
        {
            foreach (var text in record.Strings)
            {
                var bytes = Encoding.UTF8.GetByteCount(text);
                if (bytes > 255)
                {
                    yield return Finding.Error(
                        "spf.string_too_long",
                        $"A character-string of the SPF record of {domain} is {bytes} bytes long; DNS allows at most 255 per string.",
                        "Split the record into several quoted strings of at most 255 characters each (they are joined with nothing between).")
                    with { Subject = domain };
                }
            }
        }

        var size = AnswerSize(domain, answer);
        if (size > MaxAnswerBytes)
        {
            yield return Finding.Warning(
                "spf.record_too_long",
                $"The TXT answer of {domain} is about {size} bytes, more than {MaxAnswerBytes}: it no longer fits a UDP message, so receivers must retry over TCP and some fail (temperror or no SPF at all).",
                "Shorten the SPF record (fewer ip4/ip6 terms, wider networks, move parts to an include) and remove TXT records that are no longer used at this name.")
            with { Subject = domain };
        }
    }

    // Header, question, and each record (compressed owner name, type, class, TTL, length, strings with their length bytes).
    private static int AnswerSize(string domain, IReadOnlyList<TxtRecord> answer) =>
        12 + domain.Length + 2 + 4 + answer.Sum(r => 12 + r.Strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1));

    private sealed class Walk(IDnsResolver dns, string domain, CancellationToken cancellationToken)
    {
        private readonly List<Finding> _findings = [];
        private readonly Dictionary<string, int> _byMechanism = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, DnsRecordType), DnsResponse> _answers = [];
        private readonly List<string> _records = [];
        private SpfRecord? _record;
        private bool _inconclusive;
        private int _lookups;
        private int _voids;

        public async Task RunAsync()
        {
            var response = await QueryAsync(domain, DnsRecordType.TXT).ConfigureAwait(false);
            if (response.IsTemporaryFailure)
            {
                Temporary(response, domain);
                return;
            }

            var txt = response.Records<TxtRecord>().ToArray();
            _records.AddRange(txt.Select(r => r.Text).Where(SpfRecord.IsSpfRecord));
            _findings.AddRange(SizeFindings(domain, txt));
            if (_records.Count == 0)
            {
                _findings.Add(Finding.Error(
                    "spf.missing",
                    response.Status == DnsStatus.NxDomain
                        ? $"{domain} does not exist in DNS, so it has no SPF record: receivers get SPF none for mail from it."
                        : $"{domain} has no SPF record (no TXT record starting with v=spf1): receivers get SPF none, and DMARC cannot pass through SPF.",
                    $"Publish one TXT record at {domain}, for example \"v=spf1 include:<your provider> -all\", listing every server that sends as {domain}.")
                with { Subject = domain });
                return;
            }

            if (_records.Count > 1)
            {
                _findings.Add(Finding.Error(
                    "spf.multiple_records",
                    $"{domain} publishes {_records.Count} SPF records; a receiver that finds more than one returns permerror, so SPF fails for every message.",
                    "Merge them into a single v=spf1 TXT record (combine the mechanisms, keep one 'all' at the end) and delete the others.")
                with { Subject = domain });
                return;
            }

            if (!SpfRecord.TryParse(_records[0], out var record, out var error))
            {
                _findings.Add(Finding.Error(
                    "spf.syntax",
                    $"The SPF record of {domain} is invalid ({error}); receivers return permerror for every message.",
                    "Correct the record: terms are separated by single spaces, mechanisms are all, include:, a, mx, ptr, ip4:, ip6:, exists:, modifiers redirect= and exp= (once each).")
                with { Subject = domain });
                return;
            }

            _record = record;
            await WalkAsync(domain, record, [domain], top: true).ConfigureAwait(false);
            Summarize();
        }

        public SpfAuditReport Report() =>
            new(domain, _records, _record, _findings, _inconclusive, _lookups, _voids, _byMechanism);

        private async Task WalkAsync(string owner, SpfRecord record, List<string> chain, bool top)
        {
            var hasAll = false;
            foreach (var mechanism in record.Mechanisms)
            {
                if (mechanism.CountsAsLookup)
                {
                    Count(mechanism.Kind.ToString().ToLowerInvariant());
                }

                switch (mechanism.Kind)
                {
                    case SpfMechanismKind.All:
                        hasAll = true;
                        AuditAll(owner, mechanism, top);
                        break;
                    case SpfMechanismKind.Ptr:
                        _findings.Add(Finding.Warning(
                            "spf.ptr_deprecated",
                            $"'{mechanism.Text}' in the SPF record of {owner} uses the ptr mechanism, which RFC 7208 deprecates: it is slow, costs receivers many queries and some ignore it.",
                            "Replace ptr with ip4:/ip6: networks or an a: mechanism naming the sending hosts.")
                        with { Subject = owner });
                        break;
                    case SpfMechanismKind.A:
                        await AuditAddressAsync(owner, mechanism).ConfigureAwait(false);
                        break;
                    case SpfMechanismKind.Mx:
                        await AuditMxAsync(owner, mechanism).ConfigureAwait(false);
                        break;
                    case SpfMechanismKind.Exists when mechanism.DomainSpec!.IsLiteral:
                        var exists = await QueryAsync(Name(mechanism.DomainSpec!), DnsRecordType.A).ConfigureAwait(false);
                        Void(owner, mechanism.Text, exists);
                        break;
                    case SpfMechanismKind.Include when mechanism.DomainSpec!.IsLiteral:
                        await FollowAsync(owner, mechanism.Text, Name(mechanism.DomainSpec!), chain, top: false).ConfigureAwait(false);
                        break;
                    case SpfMechanismKind.Include:
                        NotFollowed(owner, mechanism.Text);
                        break;
                }

                if (_lookups > 5 * MaxLookups)
                {
                    return;
                }
            }

            if (record.Redirect is not null && !hasAll)
            {
                Count("redirect");
                if (record.Redirect.IsLiteral)
                {
                    await FollowAsync(owner, "redirect=" + record.Redirect.Text, Name(record.Redirect), chain, top).ConfigureAwait(false);
                }
                else
                {
                    NotFollowed(owner, "redirect=" + record.Redirect.Text);
                }
            }
            else if (top && !hasAll)
            {
                _findings.Add(Finding.Warning(
                    "spf.no_all",
                    $"The SPF record of {owner} ends without an 'all' mechanism and has no redirect=, so mail from unlisted servers gets neutral instead of fail.",
                    "End the record with -all (or ~all while you verify every sending source).")
                with { Subject = owner });
            }
        }

        private void NotFollowed(string owner, string term) =>
            _findings.Add(Finding.Info(
                "spf.macro_not_followed",
                $"'{term}' in the SPF record of {owner} depends on the sender or client (macros), so the audit cannot follow it: the lookup counts are a minimum.")
            with { Subject = owner });

        private void AuditAll(string owner, SpfMechanism mechanism, bool top)
        {
            if (mechanism.Qualifier == SpfQualifier.Pass)
            {
                _findings.Add(Finding.Error(
                    "spf.permissive_all",
                    $"The SPF record of {owner} has '{mechanism.Text}': every server on the internet passes SPF for {domain}.",
                    "Replace +all with -all (or ~all) after listing your real sending servers.")
                with { Subject = owner });
            }
            else if (mechanism.Qualifier == SpfQualifier.Neutral && top)
            {
                _findings.Add(Finding.Warning(
                    "spf.neutral_all",
                    $"The SPF record of {owner} ends with '?all': unlisted servers get neutral, which gives receivers no protection against spoofing.",
                    "End the record with -all (or ~all) once every sending source is listed.")
                with { Subject = owner });
            }
        }

        private async Task FollowAsync(string owner, string term, string target, List<string> chain, bool top)
        {
            if (chain.Contains(target))
            {
                _findings.Add(Finding.Error(
                    "spf.include_loop",
                    $"'{term}' in the SPF record of {owner} leads back to {target} ({string.Join(" -> ", chain)} -> {target}): evaluation loops until the 10-lookup limit and ends in permerror.",
                    $"Remove the {term.Split(':', '=')[0]} that points back to a record already on the path.")
                with { Subject = owner });
                return;
            }

            var response = await QueryAsync(target, DnsRecordType.TXT).ConfigureAwait(false);
            if (response.IsTemporaryFailure)
            {
                Temporary(response, target);
                return;
            }

            var records = response.TxtStrings.Where(SpfRecord.IsSpfRecord).ToArray();
            if (records.Length == 0)
            {
                _findings.Add(Finding.Error(
                    "spf.include_missing",
                    $"'{term}' in the SPF record of {owner} points to {target}, which has no SPF record: receivers return permerror for every message.",
                    $"Fix the name in '{term}' (or ask the provider for the right one), or remove it.")
                with { Subject = owner });
                return;
            }

            var error = "";
            if (records.Length > 1 || !SpfRecord.TryParse(records[0], out var record, out error))
            {
                _findings.Add(Finding.Error(
                    "spf.include_invalid",
                    records.Length > 1
                        ? $"'{term}' in the SPF record of {owner} points to {target}, which publishes {records.Length} SPF records: receivers return permerror."
                        : $"'{term}' in the SPF record of {owner} points to {target}, whose SPF record is invalid ({error}): receivers return permerror.",
                    $"Ask the owner of {target} to fix its record, or stop referring to it.")
                with { Subject = owner });
                return;
            }

            await WalkAsync(target, record, [.. chain, target], top).ConfigureAwait(false);
        }

        private async Task AuditAddressAsync(string owner, SpfMechanism mechanism)
        {
            if (mechanism.DomainSpec is not null && !mechanism.DomainSpec.IsLiteral)
            {
                return;
            }

            var name = mechanism.DomainSpec is null ? owner : Name(mechanism.DomainSpec);
            var a = await QueryAsync(name, DnsRecordType.A).ConfigureAwait(false);
            var aaaa = await QueryAsync(name, DnsRecordType.AAAA).ConfigureAwait(false);
            if (a.IsTemporaryFailure || aaaa.IsTemporaryFailure)
            {
                Temporary(a.IsTemporaryFailure ? a : aaaa, name);
                return;
            }

            if (a.IsEmpty && aaaa.IsEmpty)
            {
                Void(owner, mechanism.Text, a);
            }
        }

        private async Task AuditMxAsync(string owner, SpfMechanism mechanism)
        {
            if (mechanism.DomainSpec is not null && !mechanism.DomainSpec.IsLiteral)
            {
                return;
            }

            var name = mechanism.DomainSpec is null ? owner : Name(mechanism.DomainSpec);
            var mx = await QueryAsync(name, DnsRecordType.MX).ConfigureAwait(false);
            if (!Void(owner, mechanism.Text, mx))
            {
                return;
            }

            var hosts = mx.Records<MxRecord>().Count();
            if (hosts > MaxNames)
            {
                _findings.Add(Finding.Error(
                    "spf.mx_too_many_names",
                    $"'{mechanism.Text}' in the SPF record of {owner}: {name} has {hosts} MX records; receivers look up at most {MaxNames} and return permerror.",
                    $"Replace 'mx' with ip4:/ip6: networks of the hosts that really send, or reduce the MX records to {MaxNames} or fewer.")
                with { Subject = owner });
            }
        }

        /// <summary>Counts a void answer; false when the answer was void or failed (nothing more to read).</summary>
        private bool Void(string owner, string term, DnsResponse response)
        {
            if (response.IsTemporaryFailure)
            {
                Temporary(response, response.Name);
                return false;
            }

            if (!response.IsEmpty)
            {
                return true;
            }

            _voids++;
            _findings.Add(Finding.Warning(
                "spf.void_lookup",
                $"'{term}' in the SPF record of {owner} finds nothing in DNS ({response.Describe()}); receivers allow at most {MaxVoidLookups} such lookups before permerror.",
                $"Remove '{term}' or publish the records it refers to.")
            with { Subject = owner });
            return false;
        }

        private void Summarize()
        {
            var counts = string.Join(", ", _byMechanism.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value}"));
            if (_lookups > MaxLookups)
            {
                _findings.Add(Finding.Error(
                    "spf.too_many_lookups",
                    $"Evaluating the SPF record of {domain} needs {_lookups} DNS lookups ({counts}), more than the limit of {MaxLookups}: receivers return permerror.",
                    "Remove includes you no longer use, replace a/mx/ptr with ip4:/ip6: networks, or flatten nested includes into address ranges.")
                with { Subject = domain });
            }
            else if (_lookups >= NearLimit)
            {
                _findings.Add(Finding.Warning(
                    "spf.lookups_near_limit",
                    $"Evaluating the SPF record of {domain} needs {_lookups} DNS lookups ({counts}), close to the limit of {MaxLookups}: one more include by a provider breaks SPF.",
                    "Make room: replace a/mx with ip4:/ip6: networks or drop unused includes.")
                with { Subject = domain });
            }

            if (_voids > MaxVoidLookups)
            {
                _findings.Add(Finding.Error(
                    "spf.too_many_void_lookups",
                    $"Evaluating the SPF record of {domain} meets {_voids} lookups that find nothing, more than the limit of {MaxVoidLookups}: receivers return permerror.",
                    "Remove the mechanisms that point to names without records (see the spf.void_lookup findings).")
                with { Subject = domain });
            }
        }

        private void Count(string mechanism)
        {
            _lookups++;
            _byMechanism[mechanism] = _byMechanism.GetValueOrDefault(mechanism) + 1;
        }

        private void Temporary(DnsResponse response, string name)
        {
            _inconclusive = true;
            _findings.Add(Finding.Warning(
                "spf.dns_temporary",
                $"DNS failed temporarily while reading SPF data of {name}: {response.Describe()}. The result is unknown, not a missing record.",
                "Nothing to change in the record if this passes; if it persists, check the domain's name servers.")
            with { Subject = name });
        }

        private async Task<DnsResponse> QueryAsync(string name, DnsRecordType type)
        {
            if (!_answers.TryGetValue((name, type), out var response))
            {
                response = await dns.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
                _answers[(name, type)] = response;
            }

            return response;
        }

        private static string Name(SpfMacroString spec) => DnsNames.Normalize(spec.Text);
    }
}
