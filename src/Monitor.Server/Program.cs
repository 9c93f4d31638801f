using Monitor.Server.Alerts;
using Monitor.Server.Auth;
using Monitor.Server.Blacklists;
using Monitor.Server.Components;
using Monitor.Server.Domains;
using Monitor.Server.Infrastructure;
using Monitor.Server.Placement;

var builder = WebApplication.CreateBuilder(args);

builder.AddMonitorOptions();
builder.AddStorage();
builder.AddAuditing();
builder.AddBlacklistMonitoring();
builder.AddPlacement();
builder.AddAlertNotifications();
builder.AddAlertsLivePush();
builder.AddAlerts();
builder.AddSignIn();
builder.AddDashboard();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSignIn();
app.MapDashboard();
app.MapDomainsApi();
app.MapBlacklistsApi();
app.MapPlacementApi();
app.MapReceiversApi();
app.MapAlertsHub();
app.MapAlertsApi();
app.MapApiKeysApi();
app.MapHealthChecks("/health").AllowAnonymous();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
