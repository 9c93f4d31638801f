using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// An index on the events' time: the events behind a minute of the rollups (a spike on the Sending page, the critical
/// messages of an alert) are read by <see cref="SendEventRow.OccurredAt"/>, never by scanning the table. The rest of
/// <c>send_events</c>' mapping is beside the row.
/// </summary>
internal sealed class SendEventTimeIndex : IEntityTypeConfiguration<SendEventRow>
{
    public void Configure(EntityTypeBuilder<SendEventRow> builder)
    {
        builder.ToTable("send_events");
        builder.HasIndex(r => r.OccurredAt);
    }
}
