var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

app.MapGet("/", () => TypedResults.Content("<h1>Deliverability monitor</h1>", "text/html"));
app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
