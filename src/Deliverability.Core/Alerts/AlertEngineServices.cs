using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts.Evaluation;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts;

public static class AlertEngineServices
{
    /// <summary>
    /// <see cref="AlertEngine"/> with the parts of one evaluation, and <see cref="AlertAcknowledgements"/> and
    /// <see cref="AlertSilences"/>, which change the same state in memory: all singletons. Needs
    /// <see cref="AlertOptions"/>, <see cref="AuditCadence"/>, an <see cref="IAlertNotificationSender"/>, a
    /// <c>MonitorDbContext</c> factory, <c>LiveFeed&lt;AlertChanged&gt;</c> and logging; uses every registered
    /// <see cref="IAlertSignalSource"/> and, when registered, <see cref="EffectiveAlertRules"/>.
    /// </summary>
    public static IServiceCollection AddAlertEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AlertMemory>();
        services.AddSingleton<AlertSignalCollector>();
        services.AddSingleton<AlertRuleRunner>();
        services.AddSingleton<AlertLifecycle>();
        services.AddSingleton<AlertMuting>();
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<AtLeastOnceDelivery>();
        services.AddSingleton<AlertRetention>();
        // Their constructors take the internal parts: built here rather than by the container's public-constructor search.
        services.AddSingleton(sp => new AlertEngine(
            sp.GetRequiredService<IDbContextFactory<MonitorDbContext>>(),
            sp.GetRequiredService<IOptions<AlertOptions>>(),
            sp.GetRequiredService<AlertMemory>(),
            sp.GetRequiredService<AlertSignalCollector>(),
            sp.GetRequiredService<AlertRuleRunner>(),
            sp.GetRequiredService<AlertLifecycle>(),
            sp.GetRequiredService<AlertMuting>(),
            sp.GetRequiredService<NotificationPlanner>(),
            sp.GetRequiredService<AtLeastOnceDelivery>(),
            sp.GetRequiredService<AlertRetention>(),
            sp.GetRequiredService<LiveFeed<AlertChanged>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AlertEngine>>()));
        services.AddSingleton(sp => new AlertAcknowledgements(
            sp.GetRequiredService<IDbContextFactory<MonitorDbContext>>(),
            sp.GetRequiredService<AlertMemory>(),
            sp.GetRequiredService<LiveFeed<AlertChanged>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AlertSilences(
            sp.GetRequiredService<IDbContextFactory<MonitorDbContext>>(),
            sp.GetRequiredService<AlertMemory>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
