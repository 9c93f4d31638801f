using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Server.Auth;

namespace Deliverability.Server.Tests.Auth;

/// <summary>The per-client lockout's rules, on a fake clock.</summary>
public sealed class SignInLockoutTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    private SignInLockout Lockout() => new(Options.Create(new SignInOptions { LockoutAttempts = 3, LockoutDuration = TimeSpan.FromMinutes(5) }), _time);

    [Fact]
    public void The_third_wrong_password_in_a_row_locks_that_client_out_of_that_name_only_and_only_for_the_duration()
    {
        var lockout = Lockout();

        Assert.False(lockout.RecordFailure("ADMIN", "192.0.2.7"));
        Assert.False(lockout.RecordFailure("ADMIN", "192.0.2.7"));
        Assert.True(lockout.RecordFailure("ADMIN", "192.0.2.7"));

        Assert.True(lockout.IsLockedOut("ADMIN", "192.0.2.7"));
        Assert.False(lockout.IsLockedOut("ADMIN", "198.51.100.1"));
        Assert.False(lockout.IsLockedOut("OLGA", "192.0.2.7"));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(lockout.IsLockedOut("ADMIN", "192.0.2.7"));
    }

    [Fact]
    public void Wrong_passwords_further_apart_than_the_duration_are_not_in_a_row()
    {
        var lockout = Lockout();

        for (var i = 0; i < 5; i++)
        {
            Assert.False(lockout.RecordFailure("ADMIN", "192.0.2.7"));
            _time.Advance(TimeSpan.FromMinutes(6));
        }

        Assert.False(lockout.IsLockedOut("ADMIN", "192.0.2.7"));
    }

    [Fact]
    public void An_administrators_reset_unlocks_the_name_for_every_client()
    {
        var lockout = Lockout();
        foreach (var client in new[] { "192.0.2.7", "198.51.100.1" })
        {
            for (var i = 0; i < 3; i++)
            {
                lockout.RecordFailure("OLGA", client);
            }
        }

        lockout.ForgetName("OLGA");

        Assert.False(lockout.IsLockedOut("OLGA", "192.0.2.7"));
        Assert.False(lockout.IsLockedOut("OLGA", "198.51.100.1"));
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void A_client_is_an_ipv4_address_or_an_ipv6_slash_64(string address, string key)
    {
        Assert.Equal(key, SignInClient.KeyOf(IPAddress.Parse(address)));
    }
}
