using Deliverability.Core.Placement;

namespace Deliverability.Server.Placement;

/// <summary>A run in a list: its counts only.</summary>
public sealed record PlacementRunSummaryDto(Guid Id, string SendPath, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int Seeds, int Inbox, int Spam, int Other, int Missing, int Errors, double? InboxRate)
{
    public static PlacementRunSummaryDto From(PlacementRunRow r) => new(r.Id, r.SendPath, r.StartedAt, r.FinishedAt, r.Seeds, r.Inbox, r.Spam, r.Other, r.Missing, r.Errors,
        r.Seeds - r.Errors == 0 ? null : (double)r.Inbox / (r.Seeds - r.Errors));
}

/// <summary>A seed as the API shows it: the password only as <c>"set"</c> or null, never its value.</summary>
/// <param name="Origin"><c>configuration</c> (Monitor:Placement:Seeds) or <c>dashboard</c>.</param>
public sealed record SeedDto(string Provider, string Address, string ImapHost, int ImapPort, string Security, string User, string? Password, string Origin)
{
    public static SeedDto From(CatalogSeed c)
    {
        var s = c.Seed;
        return new(s.Provider, s.Address, s.Imap.Host, MailSecurity.ImapPort(s.Imap), s.Imap.Security, s.Imap.User, c.HasPassword ? "set" : null, c.Origin.ToString().ToLowerInvariant());
    }
}

/// <summary>A send path as the API shows it (password as <c>"set"</c> or null).</summary>
/// <param name="EnvelopeSender">The SMTP MAIL FROM; null when it is the From address.</param>
/// <param name="Origin"><c>configuration</c> (Monitor:Placement:SendPaths) or <c>dashboard</c>.</param>
public sealed record SendPathDto(string Name, string Host, int Port, string Security, string? User, string? Password, string? EnvelopeSender, string Origin)
{
    public static SendPathDto From(CatalogSendPath c)
    {
        var p = c.Path;
        return new(p.Name, p.Host, MailSecurity.SmtpPort(p), p.Security, string.IsNullOrWhiteSpace(p.User) ? null : p.User, c.HasPassword ? "set" : null,
            string.IsNullOrWhiteSpace(p.EnvelopeSender) ? null : p.EnvelopeSender.Trim(), c.Origin.ToString().ToLowerInvariant());
    }
}
