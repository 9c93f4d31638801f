using Microsoft.Extensions.Options;
using Deliverability.Core.Live;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Authentication;
using Deliverability.Core.MessageChecks.Mailbox;

namespace Deliverability.Server.MessageChecks;

/// <summary>
/// Reads the check mailbox for the life of the service (when one is configured): each message sent to a waiting tagged
/// address is checked, with SPF for the IP its topmost Received header names when it came by SMTP, and the address
/// records the check. A message that is not one, or too large, records why.
/// </summary>
public sealed class CheckMailboxService(
    IOptions<MessageCheckOptions> options, CheckAddresses addresses, CheckAddressStore store, MessageCheckRunner runner,
    LiveFeed<MessageCheckCompleted> completed, TimeProvider time, ILogger<CheckMailboxService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Mailbox.Enabled)
        {
            return;
        }

        await using var reader = new CheckMailboxReader(settings.Mailbox, settings.MaxMessageBytes, time, logger);
        addresses.Issued += reader.Wake;
        try
        {
            logger.LogInformation("Reading the check mailbox {Where} for messages to {Address} with a tag", reader.Where, settings.Mailbox.Address);
            await reader.RunAsync(ct => store.WaitingAsync(time.GetUtcNow(), ct), CheckAsync, stoppingToken);
        }
        finally
        {
            addresses.Issued -= reader.Wake;
        }
    }

    private async Task CheckAsync(ReceivedCheckMessage received, CancellationToken cancellationToken)
    {
        Guid? checkId = null;
        var problem = received.Problem;
        if (received.Message is { } bytes)
        {
            try
            {
                var origin = ReceivedHeader.TopmostOf(MessageInput.Parse(bytes, options.Value.MaxMessageBytes));
                checkId = (await runner.CheckAsync(bytes, "address", cancellationToken, waitInLine: true, origin?.Ip, origin?.Helo)).Id;
            }
            catch (MessageInputException ex)
            {
                problem = ex.Message;
            }
        }

        if (problem is not null)
        {
            logger.LogInformation("The message to check address tag {Tag} could not be checked: {Problem}", received.Tag, problem);
        }

        await store.CompleteAsync(received.Tag, checkId, problem, cancellationToken);
        completed.Publish(new MessageCheckCompleted(checkId, received.Tag));
    }
}
