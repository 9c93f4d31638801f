using Monitor.Server.Alerts;
using Monitor.Server.Api;
using Monitor.Server.Auth;
using Monitor.Server.Configuration;
using Monitor.Server.Dashboard;
using Monitor.Server.Jobs;
using Monitor.Server.Live;
using Monitor.Server.Notifications;
using Monitor.Server.Placement;
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
builder.AddSignIn();
builder.AddTrustedProxies();
builder.AddDashboard();
builder.KeepTypedInputOutOfLogs();
builder.Services.AddProblemDetails();

var app = builder.Build();
if (!await app.CheckConfigurationAsync())
{
    return StartupChecks.BadConfiguration;
}

app.UseTrustedProxies();
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
return 0;

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
