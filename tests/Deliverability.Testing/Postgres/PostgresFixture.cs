using Xunit;

namespace Deliverability.Testing.Postgres;

/// <summary>
/// One private PostgreSQL cluster for a test class (<c>IClassFixture&lt;PostgresFixture&gt;</c>); each test makes its
/// own database in it, or starts the service on it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public TestPostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestPostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
