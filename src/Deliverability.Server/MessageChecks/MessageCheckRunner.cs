using System.Text.Json;
using Microsoft.Extensions.Options;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;
using Deliverability.Core.Monitoring;

namespace Deliverability.Server.MessageChecks;

/// <summary>Runs a check with the service's DNS, SpamAssassin and renderer, judges the From domain against the audited domains, and stores it.</summary>
public sealed class MessageCheckRunner(
    IDnsResolver dns, IOptions<MessageCheckOptions> options, SpamAssassinScanner spam, IMessageRenderer renderer,
    MonitoredDomainCatalog domains, MessageCheckStore store, TimeProvider time, ILogger<MessageCheckRunner> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <exception cref="MessageInputException">The bytes are not a message that can be checked.</exception>
    public async Task<MessageCheckDto> CheckAsync(ReadOnlyMemory<byte> message, string source, CancellationToken cancellationToken)
    {
        var audited = (await domains.GetAllAsync(cancellationToken)).Select(d => d.Name.Ascii).ToList();
        var report = await new MessageChecker(dns, options.Value, spam, renderer, time)
            .CheckAsync(new MessageCheckRequest(message, source, AuditedDomains: audited), cancellationToken);
        var dto = report.ToDto(name => RenderPath(report.Id, name));
        await store.SaveAsync(report, JsonSerializer.Serialize(dto, Json), options.Value.MaxStoredChecks, cancellationToken);
        logger.LogInformation("Message check {Id} from {Source}: score {Score}, {Errors} error(s), {Warnings} warning(s)", report.Id, source, report.Score, report.Errors, report.Warnings);
        return dto;
    }

    public static string RenderPath(Guid id, string name) => $"/api/message-checks/{id}/renders/{name}.png";
}
