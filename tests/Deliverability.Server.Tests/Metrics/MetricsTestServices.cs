using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Metrics;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>A <see cref="DeliverabilityMetrics"/> of its own (its own meter factory), as one service has.</summary>
internal sealed class MetricsTestServices : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public MetricsTestServices(TimeProvider? time = null) =>
        Metrics = new DeliverabilityMetrics(_services.GetRequiredService<IMeterFactory>(), time);

    public DeliverabilityMetrics Metrics { get; }

    public void Dispose()
    {
        Metrics.Dispose();
        _services.Dispose();
    }
}
