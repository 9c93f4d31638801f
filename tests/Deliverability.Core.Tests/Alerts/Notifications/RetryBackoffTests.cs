using Deliverability.Core.Alerts.Notifications;

namespace Deliverability.Core.Tests.Alerts.Notifications;

public sealed class RetryBackoffTests
{
    private static readonly DeliveryOptions Delivery = new() { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(40, 30)]
    public void Backoff_doubles_up_to_the_cap_with_jitter_in_its_upper_half(int failedAttempt, double ceilingSeconds)
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200).Select(_ => RetryBackoff.Delay(failedAttempt, null, Delivery, random)).ToArray();

        Assert.All(delays, d => Assert.InRange(d.TotalSeconds, ceilingSeconds / 2, ceilingSeconds));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the retries");
    }

    [Fact]
    public void Retry_after_is_honoured_as_given() =>
        Assert.Equal(TimeSpan.FromSeconds(120), RetryBackoff.Delay(1, TimeSpan.FromSeconds(120), Delivery, new Random(1)));
}
