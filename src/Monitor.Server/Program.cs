using Monitor.Server.Alerts;
using Monitor.Server.Api;
using Monitor.Server.Configuration;
using Monitor.Server.Home;
using Monitor.Server.Jobs;
using Monitor.Server.Placement;
using Monitor.Server.Live;
using Monitor.Server.Notifications;
using Monitor.Server.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.AddMonitorOptions();
builder.AddStorage();
builder.AddAuditing();
builder.AddBlacklistMonitoring();
builder.AddPlacement();
builder.AddAlertNotifications();
builder.AddAlertsLivePush();
builder.AddAlerts();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHomePage();
app.MapDomainsApi();
app.MapBlacklistsApi();
app.MapPlacementApi();
app.MapReceiversApi();
app.MapAlertsHub();
app.MapAlertsApi();
app.MapHealthChecks("/health");

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
