using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using Deliverability.Server.Blacklists;
using Deliverability.Server.Components;
using Deliverability.Server.DmarcReports;
using Deliverability.Server.Domains;
using Deliverability.Server.Forecasts;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.LivePush;
using Deliverability.Server.LoadTests;
using Deliverability.Server.MessageChecks;
using Deliverability.Server.Metrics;
using Deliverability.Server.Overview;
using Deliverability.Server.Placement;
using Deliverability.Server.SendEvents;
using Deliverability.Server.SendEvents.Sending;
using Deliverability.Server.Settings;

// Each feature registers and maps itself; the order of the calls does not matter (HostCompositionTests).
var builder = WebApplication.CreateBuilder(args);

builder.AddInfrastructure();
builder.AddDashboard();
builder.AddAuth();
builder.AddDomains();
builder.AddBlacklists();
builder.AddPlacement();
builder.AddAlerts();
builder.AddLoadTests();
builder.AddForecasts();
builder.AddMessageChecks();
builder.AddSending();
builder.AddDmarcReports();
builder.AddOverview();
builder.AddSettings();
builder.AddMetrics();
builder.AddSendEvents();
builder.AddLivePush();

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
app.MapLoadTests();
app.MapForecasts();
app.MapMessageChecks();
app.MapSending();
app.MapDmarcReports();
app.MapSettings();
app.MapMetrics();
app.MapSendEvents();

app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
