using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor alerts test &lt;receiver&gt; [--server URL]</c>: asks the running service to send a test notification to one
/// of its receivers (<c>POST /api/alerts/receivers/{name}/test</c>), so the receivers' secrets stay in the service's
/// configuration. Exit code 0 delivered, 1 not delivered, 2 unknown receiver, service unreachable or bad usage.
/// </summary>
public static class AlertsTestCommand
{
    public const int Delivered = 0;
    public const int NotDelivered = 1;
    public const int Failed = 2;

    /// <param name="server">The <c>alerts</c> command's recursive <c>--server</c>, <c>--json</c> and <c>--api-key</c>: one option each in the help.</param>
    public static Command Create(Option<string> server, Option<bool> json, Option<string?> apiKey, TextWriter stdout, TextWriter stderr)
    {
        var receiver = new Argument<string>("receiver") { Description = "The name of a receiver of Monitor:Alerts:Receivers" };
        var timeout = NumberOptions.Seconds("--timeout", "Seconds to wait for the service's answer, retries included (default 360)", defaultSeconds: 360, maxSeconds: 3600);

        var command = new Command("test", "Send a test notification to a receiver through the running service and report whether it was delivered. "
            + "Exit code 0 delivered, 1 not delivered (the error says why), 2 unknown receiver or service unreachable. "
            + "--json prints the service's answer: {receiver, type, delivered, attempts, error}.");
        command.Arguments.Add(receiver);
        command.Options.Add(timeout);
        command.Validators.Add(result =>
        {
            // In a command validator GetValue does not apply DefaultValueFactory: only check values that were given.
            if (result.GetResult(server) is { Implicit: false } givenServer)
            {
                var address = givenServer.GetValueOrDefault<string>();
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    result.AddError($"--server: '{address}' is not an http:// or https:// address");
                }
            }
        });

        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var name = parsed.GetValue(receiver)!.Trim();
            var baseUri = new Uri(parsed.GetValue(server)!.TrimEnd('/') + "/");
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)) };
            ServiceApiKey.Apply(http, parsed.GetValue(apiKey));
            try
            {
                using var response = await http.PostAsync($"api/alerts/receivers/{Uri.EscapeDataString(name)}/test", content: null, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                return await ReportAsync(response.StatusCode, body, name, parsed.GetValue(json), stdout, stderr);
            }
            catch (HttpRequestException ex)
            {
                var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
                await stderr.WriteLineAsync($"error: cannot reach the monitor service at {baseUri} ({reason}); is it running? (--server)");
                return Failed;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"error: the monitor service at {baseUri} did not answer within {parsed.GetValue(timeout)} s (--timeout)");
                return Failed;
            }
        });
        return command;
    }

    private static async Task<int> ReportAsync(HttpStatusCode status, string body, string name, bool json, TextWriter stdout, TextWriter stderr)
    {
        JsonElement answer;
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            answer = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await stderr.WriteLineAsync($"error: the service answered HTTP {(int)status} without JSON; is --server the monitor service?");
            return Failed;
        }

        switch (status)
        {
            case HttpStatusCode.OK:
                if (json)
                {
                    await stdout.WriteLineAsync(body);
                }
                else
                {
                    var attempts = Int(answer, "attempts");
                    await stdout.WriteLineAsync($"Test notification delivered to '{Text(answer, "receiver") ?? name}' ({Text(answer, "type")}) after {attempts} attempt{(attempts == 1 ? "" : "s")}.");
                }

                return Delivered;
            case HttpStatusCode.BadGateway:
                if (json)
                {
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(new { receiver = Text(answer, "receiver") ?? name, delivered = false, attempts = Int(answer, "attempts"), error = Text(answer, "error") }));
                }

                await stderr.WriteLineAsync($"Test notification NOT delivered: {Text(answer, "detail")}");
                return NotDelivered;
            case HttpStatusCode.Unauthorized:
                await stderr.WriteLineAsync($"error: the service refused the request (401): {ServiceApiKey.Hint}");
                return Failed;
            case HttpStatusCode.Forbidden:
                await stderr.WriteLineAsync("error: the service refused the request (403): sending a test notification needs an Operator or Admin API key");
                return Failed;
            default:
                await stderr.WriteLineAsync($"error: {Text(answer, "detail") ?? Text(answer, "title") ?? $"the service answered HTTP {(int)status}"}");
                return Failed;
        }
    }

    private static string? Text(JsonElement json, string property) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement json, string property) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.TryGetInt32(out var number) ? number : 0;
}
