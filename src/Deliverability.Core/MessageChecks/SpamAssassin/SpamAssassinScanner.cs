using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.MessageChecks.SpamAssassin;

/// <summary>
/// Asks SpamAssassin for a verdict: the configured spamd, or a private one started on first use and kept until this
/// scanner is disposed. A spamd that cannot be reached is a problem in the report, never an exception.
/// </summary>
public sealed class SpamAssassinScanner(SpamAssassinOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private PrivateSpamd? _private;
    private bool _disposed;

    public async Task<(SpamAssassinResult? Result, string? Problem)> ScanAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (!options.Enabled)
        {
            return (null, $"SpamAssassin is turned off ({MessageCheckOptions.SectionName}:SpamAssassin:Enabled)");
        }

        try
        {
            var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
            var client = new SpamdClient(endpoint, TimeSpan.FromSeconds(options.TimeoutSeconds));
            return (await client.CheckAsync(message, cancellationToken).ConfigureAwait(false), null);
        }
        catch (SpamdException ex)
        {
            return (null, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _starting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_private is not null)
            {
                await _private.DisposeAsync().ConfigureAwait(false);
                _private = null;
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task<IPEndPoint> EndpointAsync(CancellationToken cancellationToken)
    {
        if (options.Address.Length > 0)
        {
            return DnsOptions.TryParseEndpoint(options.Address, out var configured, out var error)
                ? configured
                : throw new SpamdException($"{MessageCheckOptions.SectionName}:SpamAssassin:Address: {error}");
        }

        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _private ??= await PrivateSpamd.StartAsync(options.SpamdPath, TimeSpan.FromSeconds(options.StartTimeoutSeconds), cancellationToken).ConfigureAwait(false);
            return _private.Endpoint;
        }
        finally
        {
            _starting.Release();
        }
    }
}
