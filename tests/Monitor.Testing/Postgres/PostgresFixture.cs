using Monitor.Testing.Postgres;

namespace Monitor.Core.Tests.Storage;

/// <summary>One private PostgreSQL cluster for a test class; each test makes its own database in it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public TestPostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestPostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
