using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Core.SendEvents.Sources;

namespace Deliverability.Server.SendEvents.Hooks;

/// <summary>The registered webhook formats by provider name.</summary>
public sealed class SendEventFormats(IEnumerable<ISendEventFormat> formats)
{
    private readonly Dictionary<string, ISendEventFormat> _byProvider = formats.ToDictionary(f => f.Provider, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Providers => _byProvider.Keys;

    public ISendEventFormat? Of(string provider) => _byProvider.GetValueOrDefault(provider.Trim());
}

/// <summary>The normaliser of the current options, made again only when the options change.</summary>
public sealed class SendEventNormalizers
{
    private (SendEventsOptions Options, SendEventNormalizer Normalizer)? _current;

    public SendEventNormalizer For(SendEventsOptions options)
    {
        var current = _current;
        if (current is { } c && ReferenceEquals(c.Options, options))
        {
            return c.Normalizer;
        }

        var made = new SendEventNormalizer(options);
        _current = (options, made);
        return made;
    }
}
