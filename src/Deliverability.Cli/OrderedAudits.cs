using System.Threading.Channels;
using Deliverability.Core.Audits;

namespace Deliverability.Cli;

/// <summary>
/// Audits a stream of domains with at most <c>concurrency</c> in flight and hands the reports back in input order, each
/// as soon as every earlier one is out. Reports finished ahead of their turn wait in a window of at least
/// <see cref="MinimumWindow"/> audits (four times the concurrency when that is more), so memory stays bounded however
/// many domains come in.
/// </summary>
/// <remarks>
/// The window is wide because one slow audit holds back every later one: with a window of four times the concurrency,
/// an audit taking ten times the median (a busy machine, a slow name server) filled it, and the audits in flight fell
/// to none until it ended. A finished report is a few KB.
/// </remarks>
public static class OrderedAudits
{
    public const int MinimumWindow = 4096;

    /// <summary>How many audits, in flight or finished, may be ahead of the output: input is read no further.</summary>
    public static int WindowFor(int concurrency) => Math.Max(MinimumWindow, concurrency * 4);

    /// <summary>An input line's outcome, in input order: a report, or the problem of a line that was not audited.</summary>
    public sealed record Outcome(AuditInputItem Input, DomainAuditReport? Report);

    public static async IAsyncEnumerable<Outcome> RunAsync(
        IAsyncEnumerable<AuditInputItem> inputs,
        Func<string, CancellationToken, Task<DomainAuditReport>> audit,
        int concurrency,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var slots = new SemaphoreSlim(concurrency);
        var window = Channel.CreateBounded<(AuditInputItem Input, Task<DomainAuditReport>? Report)>(
            new BoundedChannelOptions(WindowFor(concurrency)) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(inputs, audit, slots, window.Writer, stop.Token);
        try
        {
            await foreach (var (input, report) in window.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new Outcome(input, report is null ? null : await report.ConfigureAwait(false));
            }

            await producer.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the consumer stopped early: nothing more is read or audited
            }
        }
    }

    private static async Task ProduceAsync(
        IAsyncEnumerable<AuditInputItem> inputs,
        Func<string, CancellationToken, Task<DomainAuditReport>> audit,
        SemaphoreSlim slots,
        ChannelWriter<(AuditInputItem, Task<DomainAuditReport>?)> window,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var input in inputs.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Task<DomainAuditReport>? report = null;
                if (input.Domain is { } domain)
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    report = RunAsync(domain);
                }

                await window.WriteAsync((input, report), cancellationToken).ConfigureAwait(false);
            }

            window.Complete();
        }
        catch (Exception ex)
        {
            window.Complete(ex);
            throw;
        }

        async Task<DomainAuditReport> RunAsync(string domain)
        {
            try
            {
                return await audit(domain, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
