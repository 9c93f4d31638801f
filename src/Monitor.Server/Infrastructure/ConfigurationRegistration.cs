using Microsoft.Extensions.Options;
using Monitor.Core.Dns;
using Monitor.Core.Monitoring;
using Monitor.Core.Storage;
using Monitor.Server.Domains;

namespace Monitor.Server.Infrastructure;

public static class ConfigurationRegistration
{
    /// <summary>Binds the <c>Monitor</c>, <c>Dns</c> and <c>Storage</c> sections; a bad value stops start-up naming its key.</summary>
    public static WebApplicationBuilder AddMonitorOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MonitorOptions>, MonitorOptionsValidator>();

        builder.Services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>();

        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        return builder;
    }
}
