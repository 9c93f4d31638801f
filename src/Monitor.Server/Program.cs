using Monitor.Server.Alerts;
using Monitor.Server.Auth;
using Monitor.Server.Blacklists;
using Monitor.Server.Components;
using Monitor.Server.Domains;
using Monitor.Server.Infrastructure;
using Monitor.Server.Overview;
using Monitor.Server.Placement;
using Monitor.Server.Settings;

// Each feature registers and maps itself; the order of the calls does not matter (HostCompositionTests).
var builder = WebApplication.CreateBuilder(args);

builder.AddInfrastructure();
builder.AddDashboard();
builder.AddAuth();
builder.AddDomains();
builder.AddBlacklists();
builder.AddPlacement();
builder.AddAlerts();
builder.AddOverview();
builder.AddSettings();

var app = builder.Build();
if (!await app.CheckConfigurationAsync())
{
    return StartupChecks.BadConfiguration;
}

app.MapInfrastructure();
app.MapDashboard();
app.MapAuth();
app.MapDomains();
app.MapBlacklists();
app.MapPlacement();
app.MapAlerts();
app.MapSettings();

app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
