using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;
using Deliverability.Core.Secrets;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Placement;

/// <summary>A seed as the settings show it; <see cref="PasswordUnreadable"/>: stored with data-protection keys no longer in use.</summary>
public sealed record CatalogSeed(SeedMailboxOptions Seed, SettingOrigin Origin, bool PasswordUnreadable = false)
{
    public bool HasPassword => !string.IsNullOrEmpty(Seed.Imap.Password) || PasswordUnreadable;

    /// <summary>A copy to edit, without the password: it is write-only, and saving the copy with none keeps the stored one.</summary>
    public SeedMailboxOptions Editable() => new()
    {
        Provider = Seed.Provider,
        Address = Seed.Address,
        Imap = new ImapAccountOptions { Host = Seed.Imap.Host, Port = Seed.Imap.Port, Security = Seed.Imap.Security, User = Seed.Imap.User },
        Folders = new SeedFolderOptions { Inbox = Seed.Folders.Inbox, Spam = Seed.Folders.Spam, Other = [.. Seed.Folders.Other] },
    };
}

/// <summary>A send path as the settings show it.</summary>
public sealed record CatalogSendPath(SendPathOptions Path, SettingOrigin Origin, bool PasswordUnreadable = false)
{
    public bool HasPassword => !string.IsNullOrEmpty(Path.Password) || PasswordUnreadable;

    /// <summary>A copy to edit, without the password (write-only, as in <see cref="CatalogSeed.Editable"/>).</summary>
    public SendPathOptions Editable() =>
        new() { Name = Path.Name, Host = Path.Host, Port = Path.Port, Security = Path.Security, User = Path.User, EnvelopeSender = Path.EnvelopeSender };
}

/// <summary>
/// Every seed mailbox and send path: <c>Monitor:Placement</c> first, then those added from the dashboard (tables
/// <c>dashboard_seeds</c> and <c>dashboard_send_paths</c>, passwords encrypted with Data Protection). Each placement run
/// reads the merged set (<see cref="GetRunOptionsAsync"/>), so a change applies from the next run. A dashboard item
/// is checked with the same per-field rules as configuration (<see cref="PlacementOptionsValidation"/>) plus the
/// duplicates across both origins and the lengths of its columns; the dashboard's page and <c>/api/settings</c> both
/// save through here, so they refuse the same input with the same words. An item in both (configuration changed after it was added) is the configured one.
/// </summary>
public sealed class PlacementCatalog(IOptionsMonitor<PlacementOptions> options, IDbContextFactory<MonitorDbContext> contexts, IDataProtectionProvider protection, TimeProvider time)
{
    public async Task<IReadOnlyList<CatalogSeed>> GetSeedsAsync(CancellationToken cancellationToken)
    {
        var all = options.CurrentValue.Seeds.Select(s => new CatalogSeed(s, SettingOrigin.Configuration)).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<DashboardSeedRow>().AsNoTracking().OrderBy(r => r.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        // A dashboard seed whose address was since added to configuration is the configured one.
        var configured = all.Select(s => s.Seed.Address.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        all.AddRange(rows.Where(r => !configured.Contains(r.Address)).Select(ToSeed));
        return all;
    }

    public async Task<IReadOnlyList<CatalogSendPath>> GetSendPathsAsync(CancellationToken cancellationToken)
    {
        var all = options.CurrentValue.SendPaths.Select(p => new CatalogSendPath(p, SettingOrigin.Configuration)).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<DashboardSendPathRow>().AsNoTracking().OrderBy(r => r.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        var configured = all.Select(p => p.Path.Name.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        all.AddRange(rows.Where(r => !configured.Contains(r.Name)).Select(ToSendPath));
        return all;
    }

    /// <summary>
    /// The settings of a run: <c>Monitor:Placement</c> as it is now, with the dashboard's seeds and send paths after the
    /// configured ones (configured send paths stay first, so the default path does not change). A dashboard item whose
    /// password cannot be decrypted is left out (the settings page says so).
    /// </summary>
    public async Task<PlacementOptions> GetRunOptionsAsync(CancellationToken cancellationToken)
    {
        var seeds = await GetSeedsAsync(cancellationToken).ConfigureAwait(false);
        var paths = await GetSendPathsAsync(cancellationToken).ConfigureAwait(false);
        return RunOptions(options.CurrentValue, seeds, paths);
    }

    /// <summary>As <see cref="GetRunOptionsAsync"/>, from seeds and send paths already read.</summary>
    public static PlacementOptions RunOptions(PlacementOptions current, IReadOnlyList<CatalogSeed> seeds, IReadOnlyList<CatalogSendPath> paths) =>
        new()
        {
            Seeds = [.. seeds.Where(s => !s.PasswordUnreadable).Select(s => s.Seed)],
            SendPaths = [.. paths.Where(p => !p.PasswordUnreadable).Select(p => p.Path)],
            Message = current.Message,
            Schedule = current.Schedule,
            Timeout = current.Timeout,
            PollInterval = current.PollInterval,
            DeleteAfterRun = current.DeleteAfterRun,
        };

    /// <summary>
    /// Adds a seed (<paramref name="isNew"/>) or changes the dashboard seed of that address. An empty password keeps the
    /// stored one. Nothing is stored when a rule is broken: the problems are returned by field.
    /// </summary>
    public async Task<SettingSave> SaveSeedAsync(SeedMailboxOptions seed, bool isNew, string by, CancellationToken cancellationToken)
    {
        var key = seed.Address.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = key.Length == 0 ? null : await db.Set<DashboardSeedRow>().SingleOrDefaultAsync(r => r.Key == key, cancellationToken).ConfigureAwait(false);
        var configured = options.CurrentValue.Seeds.Any(s => string.Equals(s.Address.Trim(), seed.Address.Trim(), StringComparison.OrdinalIgnoreCase));
        FieldProblem? duplicate = configured || (isNew && row is not null)
            ? new(SeedFields.Address, $"'{seed.Address.Trim()}' is already a seed ({(configured ? "configuration, Monitor:Placement:Seeds" : "dashboard")})")
            : null;
        if (duplicate is null && !isNew && row is null)
        {
            return SettingSave.Refused(SeedFields.Address, $"'{seed.Address.Trim()}' is not a seed added in the dashboard");
        }

        var password = string.IsNullOrEmpty(seed.Imap.Password) && !isNew && row is not null ? StoredSecret.Open(protection, row.ImapPassword) : seed.Imap.Password;
        var candidate = Trimmed(seed, password ?? "");
        if (SettingSave.RefusalFor(duplicate, PlacementOptionsValidation.SeedLengthProblems(candidate), PlacementOptionsValidation.SeedProblems(candidate)) is { } refusal)
        {
            return refusal;
        }

        row ??= db.Set<DashboardSeedRow>().Add(new DashboardSeedRow { Key = key, AddedAt = time.GetUtcNow(), AddedBy = by }).Entity;
        row.Provider = candidate.Provider;
        row.Address = candidate.Address;
        row.ImapHost = candidate.Imap.Host;
        row.ImapPort = candidate.Imap.Port;
        row.ImapSecurity = candidate.Imap.Security;
        row.ImapUser = candidate.Imap.User;
        row.ImapPassword = StoredSecret.Seal(protection, candidate.Imap.Password);
        row.InboxFolder = candidate.Folders.Inbox;
        row.SpamFolder = candidate.Folders.Spam;
        row.OtherFolders = string.Join('\n', candidate.Folders.Other);
        return await SaveAsync(db, SeedFields.Address, $"'{candidate.Address}' is already a seed (dashboard)", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a send path or changes the dashboard one of that name; an empty password keeps the stored one.</summary>
    public async Task<SettingSave> SaveSendPathAsync(SendPathOptions path, bool isNew, string by, CancellationToken cancellationToken)
    {
        var key = path.Name.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = key.Length == 0 ? null : await db.Set<DashboardSendPathRow>().SingleOrDefaultAsync(r => r.Key == key, cancellationToken).ConfigureAwait(false);
        var configured = options.CurrentValue.SendPaths.Any(p => string.Equals(p.Name.Trim(), path.Name.Trim(), StringComparison.OrdinalIgnoreCase));
        FieldProblem? duplicate = configured || (isNew && row is not null)
            ? new(SendPathFields.Name, $"'{path.Name.Trim()}' is already a send path ({(configured ? "configuration, Monitor:Placement:SendPaths" : "dashboard")})")
            : null;
        if (duplicate is null && !isNew && row is null)
        {
            return SettingSave.Refused(SendPathFields.Name, $"'{path.Name.Trim()}' is not a send path added in the dashboard");
        }

        var keepPassword = string.IsNullOrEmpty(path.Password) && !isNew && row is not null && !string.IsNullOrWhiteSpace(path.User);
        var candidate = new SendPathOptions
        {
            Name = path.Name.Trim(),
            Host = path.Host.Trim(),
            Port = path.Port,
            Security = path.Security.Trim().ToLowerInvariant(),
            User = path.User.Trim(),
            Password = (keepPassword ? StoredSecret.Open(protection, row!.Password) : path.Password) ?? "",
            EnvelopeSender = path.EnvelopeSender.Trim(),
        };
        if (SettingSave.RefusalFor(duplicate, PlacementOptionsValidation.SendPathLengthProblems(candidate), PlacementOptionsValidation.SendPathProblems(candidate)) is { } refusal)
        {
            return refusal;
        }

        row ??= db.Set<DashboardSendPathRow>().Add(new DashboardSendPathRow { Key = key, AddedAt = time.GetUtcNow(), AddedBy = by }).Entity;
        row.Name = candidate.Name;
        row.Host = candidate.Host;
        row.Port = candidate.Port;
        row.Security = candidate.Security;
        row.User = candidate.User;
        row.Password = candidate.User.Length == 0 ? "" : StoredSecret.Seal(protection, candidate.Password);
        row.EnvelopeSender = candidate.EnvelopeSender.Length == 0 ? null : candidate.EnvelopeSender;
        return await SaveAsync(db, SendPathFields.Name, $"'{candidate.Name}' is already a send path (dashboard)", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a dashboard seed; false when none has that address (configured ones stay).</summary>
    public async Task<bool> RemoveSeedAsync(string address, CancellationToken cancellationToken)
    {
        var key = address.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<DashboardSeedRow>().Where(r => r.Key == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Removes a dashboard send path; false when none has that name (configured ones stay).</summary>
    public async Task<bool> RemoveSendPathAsync(string name, CancellationToken cancellationToken)
    {
        var key = name.Trim().ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<DashboardSendPathRow>().Where(r => r.Key == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static async Task<SettingSave> SaveAsync(MonitorDbContext db, string field, string duplicate, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return SettingSave.Saved;
        }
        catch (DbUpdateException)
        {
            return SettingSave.Refused(field, duplicate); // added at the same moment by someone else
        }
    }

    private static SeedMailboxOptions Trimmed(SeedMailboxOptions seed, string password) => new()
    {
        Provider = seed.Provider.Trim(),
        Address = seed.Address.Trim(),
        Imap = new ImapAccountOptions
        {
            Host = seed.Imap.Host.Trim(),
            Port = seed.Imap.Port,
            Security = seed.Imap.Security.Trim().ToLowerInvariant(),
            User = seed.Imap.User.Trim(),
            Password = password,
        },
        Folders = new SeedFolderOptions
        {
            Inbox = string.IsNullOrWhiteSpace(seed.Folders.Inbox) ? null : seed.Folders.Inbox.Trim(),
            Spam = string.IsNullOrWhiteSpace(seed.Folders.Spam) ? null : seed.Folders.Spam.Trim(),
            Other = [.. seed.Folders.Other.Select(f => f.Trim())],
        },
    };

    private CatalogSeed ToSeed(DashboardSeedRow row)
    {
        var password = StoredSecret.Open(protection, row.ImapPassword);
        return new CatalogSeed(
            new SeedMailboxOptions
            {
                Provider = row.Provider,
                Address = row.Address,
                Imap = new ImapAccountOptions { Host = row.ImapHost, Port = row.ImapPort, Security = MailSecurity.FromStored(row.ImapSecurity), User = row.ImapUser, Password = password ?? "" },
                Folders = new SeedFolderOptions { Inbox = row.InboxFolder, Spam = row.SpamFolder, Other = [.. row.OtherFolders.Split('\n', StringSplitOptions.RemoveEmptyEntries)] },
            },
            SettingOrigin.Dashboard,
            PasswordUnreadable: password is null);
    }

    private CatalogSendPath ToSendPath(DashboardSendPathRow row)
    {
        var password = StoredSecret.Open(protection, row.Password);
        return new CatalogSendPath(
            new SendPathOptions
            {
                Name = row.Name,
                Host = row.Host,
                Port = row.Port,
                Security = MailSecurity.FromStored(row.Security),
                User = row.User,
                Password = password ?? "",
                EnvelopeSender = row.EnvelopeSender ?? "",
            },
            SettingOrigin.Dashboard,
            PasswordUnreadable: password is null);
    }
}
