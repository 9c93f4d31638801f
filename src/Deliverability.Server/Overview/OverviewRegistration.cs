namespace Deliverability.Server.Overview;

public static class OverviewRegistration
{
    /// <summary>The read model of the Overview's blacklist and placement columns; the page itself is routed by the dashboard.</summary>
    public static WebApplicationBuilder AddOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReadinessBoard>();
        return builder;
    }
}
