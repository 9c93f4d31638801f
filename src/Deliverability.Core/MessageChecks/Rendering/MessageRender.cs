using MimeKit;

namespace Deliverability.Core.MessageChecks.Rendering;

/// <summary>One PNG of the inbox preview.</summary>
/// <param name="Name">desktop, phone, dark, images-off or text, with <c>-full</c> for the full length.</param>
/// <param name="Description">What it shows, for a caption.</param>
public sealed record MessageRender(string Name, string Description, int Width, int Height, byte[] Png);

/// <summary>The renders of one message, or why there are none.</summary>
public sealed record MessageRenders(IReadOnlyList<MessageRender> Images, string? Problem)
{
    public static MessageRenders None(string problem) => new([], problem);
}

/// <summary>Makes the inbox preview of a message.</summary>
public interface IMessageRenderer
{
    /// <summary>Never throws for what the message holds; a failure comes back as <see cref="MessageRenders.Problem"/>.</summary>
    Task<MessageRenders> RenderAsync(MimeMessage message, CancellationToken cancellationToken = default);
}
