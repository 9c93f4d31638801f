using Microsoft.Extensions.Options;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// The receivers notifications can go to, as they are now. <see cref="ConfiguredReceivers"/> serves
/// <c>Monitor:Alerts:Receivers</c> only; the service uses <see cref="AlertReceiverCatalog"/>, which adds the receivers
/// added in the dashboard.
/// </summary>
public interface IReceiverDirectory
{
    /// <summary>Every usable receiver (secrets in clear, for the transports only: never log nor show them).</summary>
    IReadOnlyList<ReceiverOptions> Receivers { get; }
}

/// <summary>The receivers of <c>Monitor:Alerts:Receivers</c>.</summary>
public sealed class ConfiguredReceivers(IOptions<AlertReceiversOptions> options) : IReceiverDirectory
{
    public IReadOnlyList<ReceiverOptions> Receivers => options.Value.Receivers;
}
