namespace Deliverability.Core.Configuration;

/// <summary>
/// One broken rule of one settings field: <see cref="Field"/> is the key below the item (<c>Imap:Host</c>), so start-up
/// validation prefixes the item's key (<c>Monitor:Placement:Seeds:0</c>) and a dashboard form shows
/// <see cref="Message"/> next to that field. One rule, two places: they never disagree.
/// </summary>
public sealed record FieldProblem(string Field, string Message)
{
    public string WithKey(string itemKey) => $"{itemKey}:{Field}: {Message}";
}
