using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;
using Deliverability.Core.Secrets;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>A receiver as the settings show it; <see cref="SecretUnreadable"/>: stored with data-protection keys no longer in use.</summary>
public sealed record CatalogReceiver(ReceiverOptions Receiver, SettingOrigin Origin, bool SecretUnreadable = false)
{
    public string Name => Receiver.Name.Trim();

    public bool HasUrl => !string.IsNullOrWhiteSpace(Receiver.Url) || SecretUnreadable;

    public bool HasRoutingKey => !string.IsNullOrWhiteSpace(Receiver.RoutingKey) || SecretUnreadable;

    public bool HasEmailPassword => !string.IsNullOrEmpty(Receiver.Email.Password) || SecretUnreadable;

    /// <summary>A copy to edit, without the URL, routing key and password: they are write-only, and saving the copy without them keeps the stored ones.</summary>
    public ReceiverOptions Editable() => new()
    {
        Name = Receiver.Name,
        Type = Receiver.Type,
        SendResolved = Receiver.SendResolved,
        Email = new EmailReceiverOptions
        {
            Host = Receiver.Email.Host,
            Port = Receiver.Email.Port,
            Security = Receiver.Email.Security,
            User = Receiver.Email.User,
            From = Receiver.Email.From,
            To = [.. Receiver.Email.To],
        },
    };
}

/// <summary>
/// Every alert receiver: <c>Monitor:Alerts:Receivers</c> first, then those added from the dashboard (table
/// <c>dashboard_receivers</c>; URL, routing key and SMTP password encrypted with Data Protection). A dashboard receiver
/// is a receiver like a configured one: the root route sends it every alert when the root names no receivers (the
/// default), and any route may name it. Dashboard receivers are checked with the same per-field rules as configuration
/// (<see cref="ReceiverOptionsValidation.ReceiverProblems"/>) and the lengths of their columns, and may not reuse a
/// configured name; the dashboard's page and <c>/api/settings</c> both save through here.
/// </summary>
/// <remarks>
/// The alert engine asks for the receivers synchronously at each evaluation: it gets a snapshot, reloaded after every
/// change made here and, for changes made on another node, in the background once it is older than
/// <see cref="SnapshotLifetime"/>.
/// </remarks>
public sealed class AlertReceiverCatalog(
    IOptions<AlertReceiversOptions> options, IOptions<AlertOptions> alerts, IDbContextFactory<MonitorDbContext> contexts, IDataProtectionProvider protection, TimeProvider time)
    : IReceiverDirectory
{
    public static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private (IReadOnlyList<ReceiverOptions> Receivers, DateTimeOffset LoadedAt)? _snapshot;
    private int _refreshing;

    public IReadOnlyList<ReceiverOptions> Receivers
    {
        get
        {
            var snapshot = _snapshot;
            if (snapshot is null)
            {
                lock (_gate)
                {
                    // First use: loaded once synchronously, so that the very first evaluation knows every receiver.
                    using var db = contexts.CreateDbContext();
                    snapshot = _snapshot ?? Publish(Merge(db.Set<DashboardReceiverRow>().AsNoTracking().ToList()));
                }
            }
            else if (time.GetUtcNow() - snapshot.Value.LoadedAt > SnapshotLifetime && Interlocked.Exchange(ref _refreshing, 1) == 0)
            {
                _ = RefreshInBackgroundAsync();
            }

            return snapshot.Value.Receivers;
        }
    }

    /// <summary>The receivers the root route names (<c>Monitor:Alerts:Route:Receivers</c>); empty: every receiver gets every alert.</summary>
    public IReadOnlyList<string> RootRouteReceivers => alerts.Value.Route.Receivers;

    /// <summary>The keys of the routes that name <paramref name="name"/> (any case).</summary>
    public IReadOnlyList<string> RoutesNaming(string name) =>
        [.. RouteReceiverNames.Of(alerts.Value.Route).Where(r => string.Equals(r.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)).Select(r => r.Key)];

    /// <summary>The names routes use that match none of <paramref name="receivers"/>: their notifications fail.</summary>
    public IReadOnlyList<(string Key, string Name)> UnknownRouteNames(IEnumerable<CatalogReceiver> receivers)
    {
        var names = receivers.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. RouteReceiverNames.Of(alerts.Value.Route).Where(r => !names.Contains(r.Name))];
    }

    /// <summary>Every receiver, configured then dashboard ones (by name), read from the database now.</summary>
    public async Task<IReadOnlyList<CatalogReceiver>> GetAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<DashboardReceiverRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var all = Merge(rows);
        Publish(all);
        return all;
    }

    /// <summary>The usable receiver called <paramref name="name"/> (any case), from the current snapshot; null when none.</summary>
    public ReceiverOptions? Find(string name) =>
        Receivers.FirstOrDefault(r => string.Equals(r.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Adds a receiver (<paramref name="isNew"/>) or changes the dashboard receiver of that name. An empty URL, routing
    /// key or SMTP password keeps the stored one; only the fields of its type are kept (no URL for email, a routing key
    /// for PagerDuty only, SMTP settings for email only). Nothing is stored when a rule is broken: the problems come back
    /// by field (<c>Name</c>, <c>Url</c>, <c>Email:Host</c>...).
    /// </summary>
    public async Task<SettingSave> SaveAsync(ReceiverOptions receiver, bool isNew, string by, CancellationToken cancellationToken)
    {
        var name = receiver.Name.Trim();
        var key = name.ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = key.Length == 0 ? null : await db.Set<DashboardReceiverRow>().SingleOrDefaultAsync(r => r.Key == key, cancellationToken).ConfigureAwait(false);
        var configured = options.Value.Receivers.Any(r => string.Equals(r.Name.Trim(), name, StringComparison.OrdinalIgnoreCase));
        FieldProblem? duplicate = configured || (isNew && row is not null)
            ? new("Name", $"'{name}' is already the name of a receiver ({(configured ? "configuration, Monitor:Alerts:Receivers" : "dashboard")})")
            : null;
        if (duplicate is null && !isNew && row is null)
        {
            return SettingSave.Refused("Name", $"'{name}' is not a receiver added in the dashboard");
        }

        var stored = isNew ? null : row; // a new receiver never inherits another's secrets
        var type = receiver.ParsedType;
        var candidate = new ReceiverOptions
        {
            Name = name,
            Type = receiver.Type.Trim().ToLowerInvariant(),
            Url = type == ReceiverType.Email ? null : Keep(receiver.Url?.Trim(), stored?.Url),
            RoutingKey = type == ReceiverType.PagerDuty ? Keep(receiver.RoutingKey?.Trim(), stored?.RoutingKey) : null,
            SendResolved = receiver.SendResolved,
            Email = type != ReceiverType.Email ? new EmailReceiverOptions() : new EmailReceiverOptions
            {
                Host = receiver.Email.Host?.Trim(),
                Port = receiver.Email.Port,
                Security = receiver.Email.Security.Trim(),
                User = receiver.Email.User?.Trim(),
                Password = string.IsNullOrEmpty(receiver.Email.User?.Trim()) ? "" : Keep(receiver.Email.Password, stored?.EmailPassword),
                From = receiver.Email.From?.Trim(),
                To = [.. receiver.Email.To.Select(t => t.Trim()).Where(t => t.Length > 0)],
            },
        };
        if (SettingSave.RefusalFor(duplicate, ReceiverOptionsValidation.ReceiverLengthProblems(candidate), ReceiverOptionsValidation.ReceiverProblems(candidate)) is { } refusal)
        {
            return refusal;
        }

        row ??= db.Set<DashboardReceiverRow>().Add(new DashboardReceiverRow { Key = key, AddedAt = time.GetUtcNow(), AddedBy = by }).Entity;
        row.Name = candidate.Name;
        row.Type = candidate.Type;
        row.Url = StoredSecret.Seal(protection, candidate.Url);
        row.RoutingKey = StoredSecret.Seal(protection, candidate.RoutingKey);
        row.EmailHost = candidate.Email.Host ?? "";
        row.EmailPort = candidate.Email.Port;
        row.EmailSecurity = candidate.Email.Security;
        row.EmailUser = candidate.Email.User ?? "";
        row.EmailPassword = StoredSecret.Seal(protection, candidate.Email.Password);
        row.EmailFrom = candidate.Email.From ?? "";
        row.EmailTo = string.Join(' ', candidate.Email.To);
        row.SendResolved = candidate.SendResolved;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            return SettingSave.Refused("Name", $"'{name}' is already the name of a receiver (dashboard)"); // added at the same moment elsewhere
        }

        await GetAllAsync(cancellationToken).ConfigureAwait(false);
        return SettingSave.Saved;
    }

    /// <summary>
    /// Removes a dashboard receiver; false when none has that name (configured ones stay) or when a route names it (every
    /// notification of that route would fail: change the route first, see <see cref="RoutesNaming"/>).
    /// </summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if (RoutesNaming(name).Count > 0)
        {
            return false;
        }

        var key = name.Trim().ToLowerInvariant();
        bool removed;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            removed = await db.Set<DashboardReceiverRow>().Where(r => r.Key == key).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }

        await GetAllAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    // A stored secret is opened only to be stored again: it never leaves this method otherwise.
    private string Keep(string? typed, string? stored) =>
        !string.IsNullOrEmpty(typed) ? typed : StoredSecret.Open(protection, stored) ?? "";

    private List<CatalogReceiver> Merge(List<DashboardReceiverRow> rows)
    {
        var all = options.Value.Receivers.Select(r => new CatalogReceiver(r, SettingOrigin.Configuration)).ToList();
        var names = all.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        all.AddRange(rows.Where(r => !names.Contains(r.Name)).OrderBy(r => r.Key, StringComparer.Ordinal).Select(ToReceiver));
        return all;
    }

    private (IReadOnlyList<ReceiverOptions>, DateTimeOffset) Publish(List<CatalogReceiver> all)
    {
        var snapshot = ((IReadOnlyList<ReceiverOptions>)[.. all.Where(r => !r.SecretUnreadable).Select(r => r.Receiver)], time.GetUtcNow());
        _snapshot = snapshot;
        return snapshot;
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await GetAllAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed background refresh keeps the last snapshot; the next access tries again.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private CatalogReceiver ToReceiver(DashboardReceiverRow row)
    {
        var url = StoredSecret.Open(protection, row.Url);
        var routingKey = StoredSecret.Open(protection, row.RoutingKey);
        var password = StoredSecret.Open(protection, row.EmailPassword);
        return new CatalogReceiver(
            new ReceiverOptions
            {
                Name = row.Name,
                Type = row.Type,
                Url = string.IsNullOrEmpty(url) ? null : url,
                RoutingKey = string.IsNullOrEmpty(routingKey) ? null : routingKey,
                SendResolved = row.SendResolved,
                Email = new EmailReceiverOptions
                {
                    Host = row.EmailHost.Length == 0 ? null : row.EmailHost,
                    Port = row.EmailPort,
                    Security = row.EmailSecurity,
                    User = row.EmailUser.Length == 0 ? null : row.EmailUser,
                    Password = string.IsNullOrEmpty(password) ? null : password,
                    From = row.EmailFrom.Length == 0 ? null : row.EmailFrom,
                    To = [.. row.EmailTo.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
                },
            },
            SettingOrigin.Dashboard,
            SecretUnreadable: url is null || routingKey is null || password is null);
    }
}
