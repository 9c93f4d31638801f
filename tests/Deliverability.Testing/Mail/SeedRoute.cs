namespace Deliverability.Testing.Mail;

/// <summary>What the receiving side does with a message to one address, by the rules of a test.</summary>
public sealed record SeedRoute
{
    /// <summary>Files it into <paramref name="folder"/> of <paramref name="user"/> at once.</summary>
    public static SeedRoute File(string user, string folder = "INBOX") => new() { User = user, Folder = folder };

    /// <summary>Accepts it and throws it away (a silent drop: the seed must come out <c>missing</c>).</summary>
    public static SeedRoute Drop() => new() { Dropped = true };

    /// <summary>Refuses it at the end of DATA with a 550.</summary>
    public static SeedRoute Reject() => new() { Rejected = true };

    public string? User { get; init; }

    public string Folder { get; init; } = "INBOX";

    public bool Dropped { get; init; }

    public bool Rejected { get; init; }

    /// <summary>Files it only after this delay (the SMTP answer is never delayed).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Header lines put on top, as a receiver does (e.g. <c>Authentication-Results: mx.test; spf=fail ...</c>).</summary>
    public IReadOnlyList<string> PrependHeaders { get; init; } = [];

    /// <summary>Removes the <c>X-Monitor-Placement</c> header on the way, as some gateways drop unknown headers.</summary>
    public bool StripTokenHeader { get; init; }
}
