using Xunit;

namespace Deliverability.Testing.Redis;

/// <summary>One private Redis for a test class (<c>IClassFixture&lt;RedisFixture&gt;</c>), stopped and removed at the end.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public TestRedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestRedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
