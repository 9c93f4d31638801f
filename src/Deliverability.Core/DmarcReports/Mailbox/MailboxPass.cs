namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>What one read of a mailbox (or the watched folder) did.</summary>
/// <param name="Archived">Inputs moved to Archive/Aggregate or Archive/TLS (imported or duplicate).</param>
/// <param name="Invalid">Inputs moved to Archive/Invalid.</param>
/// <param name="Unsaved">Inputs moved to Archive/Unsaved after too many failed saves.</param>
/// <param name="Failed">Inputs whose save failed this time: left in place, tried again later.</param>
/// <param name="Waiting">Inputs left in place whose retry time has not come.</param>
public sealed record MailboxPass(int Archived, int Invalid, int Unsaved, int Failed, int Waiting)
{
    public int Moved => Archived + Invalid + Unsaved;
}
