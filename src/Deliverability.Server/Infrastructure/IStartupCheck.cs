namespace Deliverability.Server.Infrastructure;

/// <summary>
/// Whether a well-formed setting also works (the database answers), asked once before the service starts. Each
/// problem names its configuration key; secrets (passwords, connection strings) are never quoted.
/// </summary>
public interface IStartupCheck
{
    Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken cancellationToken);
}
