using Microsoft.Extensions.Options;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Mailbox;

namespace Deliverability.Server.MessageChecks;

/// <summary>Gives out tagged check addresses (when a check mailbox is configured) and says what became of each.</summary>
public sealed class CheckAddresses(IOptions<MessageCheckOptions> options, CheckAddressStore store, TimeProvider time)
{
    public const string NotConfigured = "No check mailbox is configured (Monitor:MessageChecks:Mailbox: Address and Imap).";

    /// <summary>Raised when an address is given out: the mailbox reader searches at once.</summary>
    public event Action? Issued;

    public bool Enabled => options.Value.Mailbox.Enabled;

    /// <summary>A new address; null when no check mailbox is configured.</summary>
    public async Task<CheckAddressDto?> IssueAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        var row = await store.IssueAsync(options.Value.Mailbox.Address, time.GetUtcNow(), options.Value.Mailbox.AddressLifetime, cancellationToken);
        Issued?.Invoke();
        return ToDto(row);
    }

    public async Task<CheckAddressDto?> GetAsync(string tag, CancellationToken cancellationToken) =>
        CheckAddress.IsTag(tag) && await store.GetAsync(tag, cancellationToken) is { } row ? ToDto(row) : null;

    private CheckAddressDto ToDto(CheckAddressRow row)
    {
        var status = row.CheckId is not null ? "checked" : row.Problem is not null ? "failed" : row.ExpiresAt < time.GetUtcNow() ? "expired" : "waiting";
        return new CheckAddressDto(row.Address, row.Tag, row.IssuedAt, row.ExpiresAt, status, row.CheckId, row.Problem);
    }
}
