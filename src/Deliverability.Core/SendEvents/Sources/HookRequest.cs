namespace Deliverability.Core.SendEvents.Sources;

/// <summary>A webhook request as a format sees it: the raw body (signatures are over the bytes) and a header lookup.</summary>
public sealed class HookRequest(ReadOnlyMemory<byte> body, Func<string, string?> header)
{
    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The value of a request header, or null.</summary>
    public string? Header(string name) => header(name);
}

/// <summary>What a format made of a request: events to store, or why not.</summary>
public abstract record HookOutcome
{
    /// <summary>Store these, then answer 2xx.</summary>
    public sealed record Events(IReadOnlyList<SendEventDraft> Drafts) : HookOutcome;

    /// <summary>401: bad or missing credentials or signature, a stale timestamp, a reused token. Nothing is stored.</summary>
    public sealed record Unauthorized(string Reason) : HookOutcome;

    /// <summary>400: the body is not in the format; it is quarantined.</summary>
    public sealed record Malformed(string Reason) : HookOutcome;

    /// <summary>2xx with nothing to store (an SNS subscription confirmed); <paramref name="RecordForOperator"/>: kept for an operator to act on.</summary>
    public sealed record Handled(string Message, bool RecordForOperator = false) : HookOutcome;

    /// <summary>The events <paramref name="parse"/> reads from <paramref name="body"/>, or Malformed with its reason.</summary>
    public static HookOutcome Parsed(Func<ReadOnlyMemory<byte>, IReadOnlyList<SendEventDraft>> parse, ReadOnlyMemory<byte> body)
    {
        try
        {
            return new Events(parse(body));
        }
        catch (SendEventFormatException ex)
        {
            return new Malformed(ex.Message);
        }
    }
}
