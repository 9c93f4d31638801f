using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;
using Deliverability.Core.Monitoring;

namespace Deliverability.Server.MessageChecks;

/// <summary>A check was stored (<paramref name="Id"/>), or a message to a check address could not be checked (<paramref name="Id"/> null).</summary>
public sealed record MessageCheckCompleted(Guid? Id, string? Tag);

/// <summary>
/// Runs a check with the service's DNS, SpamAssassin and renderer within the cap of <see cref="MessageCheckGate"/>,
/// judges the From domain against the audited domains, stores it and announces it to the open pages.
/// </summary>
public sealed class MessageCheckRunner(
    IDnsResolver dns, IOptions<MessageCheckOptions> options, SpamAssassinScanner spam, IMessageRenderer renderer, MonitoredDomainCatalog domains,
    MessageCheckStore store, MessageCheckGate gate, LiveFeed<MessageCheckCompleted> completed, TimeProvider time, ILogger<MessageCheckRunner> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="waitInLine">Wait for a place however long the line (the check mailbox); else a full line refuses at once.</param>
    /// <param name="sendingIp">The SMTP client's IP when the message came by SMTP: SPF is evaluated for it.</param>
    /// <exception cref="MessageInputException">The bytes are not a message that can be checked.</exception>
    /// <exception cref="MessageChecksBusyException">As many checks run and wait as allowed.</exception>
    public async Task<MessageCheckDto> CheckAsync(
        ReadOnlyMemory<byte> message, string source, CancellationToken cancellationToken, bool waitInLine = false, IPAddress? sendingIp = null, string? helo = null)
    {
        await using var slot = waitInLine ? await gate.WaitAsync(cancellationToken) : await gate.EnterAsync(cancellationToken);
        var audited = (await domains.GetAllAsync(cancellationToken)).Select(d => d.Name.Ascii).ToList();
        var report = await new MessageChecker(dns, options.Value, spam, renderer, time)
            .CheckAsync(new MessageCheckRequest(message, source, sendingIp, helo, audited), cancellationToken);
        var dto = report.ToDto(name => RenderPath(report.Id, name));
        await store.SaveAsync(report, JsonSerializer.Serialize(dto, Json), options.Value.MaxStoredChecks, cancellationToken);
        logger.LogInformation("Message check {Id} from {Source}: score {Score}, {Errors} error(s), {Warnings} warning(s)", report.Id, source, report.Score, report.Errors, report.Warnings);
        completed.Publish(new MessageCheckCompleted(dto.Id, null));
        return dto;
    }

    public static string RenderPath(Guid id, string name) => $"/api/message-checks/{id}/renders/{name}.png";
}
