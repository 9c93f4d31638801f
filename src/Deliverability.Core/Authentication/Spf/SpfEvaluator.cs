using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>
/// RFC 7208 check_host(): finds the domain's SPF record and evaluates it for a client IP, through <see cref="IDnsResolver"/>
/// only. A DNS timeout or SERVFAIL gives temperror, never fail or none.
/// </summary>
public sealed class SpfEvaluator(IDnsResolver dns, SpfEvaluatorOptions? options = null)
{
    private readonly SpfEvaluatorOptions _options = options ?? new SpfEvaluatorOptions();

    /// <summary>
    /// Evaluates the MAIL FROM identity, or the HELO identity when <paramref name="sender"/> is empty
    /// (then the sender is <c>postmaster@helo</c>, section 2.4).
    /// </summary>
    public Task<SpfEvaluation> CheckSenderAsync(IPAddress ip, string sender, string helo, CancellationToken cancellationToken = default)
    {
        var domain = sender.Length == 0 ? helo : sender[(sender.LastIndexOf('@') + 1)..];
        return CheckHostAsync(ip, domain, sender, helo, cancellationToken);
    }

    /// <summary>check_host(ip, domain, sender) of RFC 7208 section 4; <paramref name="helo"/> feeds <c>%{h}</c>.</summary>
    public async Task<SpfEvaluation> CheckHostAsync(IPAddress ip, string domain, string sender, string helo, CancellationToken cancellationToken = default)
    {
        if (sender.Length == 0)
        {
            sender = "postmaster@" + helo;
        }
        else if (!sender.Contains('@'))
        {
            sender = "postmaster@" + sender;
        }

        var values = new SpfMacroValues(ip, sender, helo, _options.ReceivingHost, _options.Time.GetUtcNow());

        // Section 4.6.4: bound the whole evaluation in time; running out is temperror.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.MaxDuration);
        var run = new SpfRun(dns, _options, values, deadline.Token);
        var start = DnsNames.Normalize(domain);
        SpfResult result;
        string? explanation = null, mechanism = null, mechanismDomain = null, problem = null;

        // Section 4.3: a malformed or single-label domain is "none" before any query.
        if (!IsCheckableDomain(start))
        {
            result = SpfResult.None;
            problem = $"'{domain}' is not a fully qualified domain name";
            run.Note(problem);
        }
        else
        {
            try
            {
                var outcome = await run.CheckHostAsync(start, wantExplanation: true).ConfigureAwait(false);
                result = outcome.Result;
                explanation = outcome.Explanation;
                mechanism = outcome.Mechanism;
                mechanismDomain = outcome.Domain;
            }
            catch (SpfAbortException abort)
            {
                result = abort.Result;
                problem = abort.Message;
                run.Note($"{SpfEvaluation.ToText(abort.Result)}: {abort.Message}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = SpfResult.TempError;
                problem = "cancelled";
                run.Note("temperror: out of time");
            }
        }

        // The resolver may report the cut-off as a plain timeout: say what really happened.
        if (result == SpfResult.TempError && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            problem = $"the evaluation took longer than {_options.MaxDuration.TotalSeconds:0.#} seconds ({problem})";
        }

        if (result == SpfResult.Fail && explanation is null)
        {
            explanation = SpfEvaluation.DefaultExplanation(start, values.Ip);
        }

        return new SpfEvaluation(result, values.Ip, start, explanation, mechanism, mechanismDomain, problem, run.Lookups, run.VoidLookups, run.Trace);
    }

    internal static bool IsCheckableDomain(string name)
    {
        if (!DnsNames.IsQueryable(name, out _))
        {
            return false;
        }

        var dot = name.LastIndexOf('.');
        return dot > 0 && SpfRecord.IsTopLabel(name.AsSpan(dot + 1));
    }
}
