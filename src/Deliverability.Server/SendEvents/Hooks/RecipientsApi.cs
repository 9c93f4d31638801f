using Microsoft.Extensions.Options;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Core.SendEvents.Privacy;
using Deliverability.Server.Auth;

namespace Deliverability.Server.SendEvents.Hooks;

/// <summary><c>DELETE /api/recipients/{address}</c> (Admin): erases one person's send events and the quarantined bodies that name them.</summary>
public static class RecipientsApi
{
    public static IEndpointRouteBuilder MapRecipientsApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/recipients/{address}", EraseAsync).RequireAuthorization(AuthPolicies.Admin).WithTags("Send events");
        return app;
    }

    private static async Task<IResult> EraseAsync(string address, IOptionsMonitor<SendEventsOptions> options, SendEventStore store, CancellationToken cancellationToken)
    {
        if (RecipientIdentity.Normalise(address) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an address", detail: "address: an email address such as someone@example.com is expected");
        }

        var erased = await store.EraseRecipientAsync(RecipientIdentity.From(options.CurrentValue), address, cancellationToken);
        return TypedResults.Ok(erased);
    }
}
