using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deliverability.Contracts.Alerts;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor alerts list|ack|silence|silences|unsilence</c>: the running service's alerts and silences over its HTTP API
/// (<c>--server</c>, default http://localhost:5080). Exit code 0 success (for list: no firing alert), 1 list found
/// firing alerts, 2 the service could not be reached or refused the request.
/// </summary>
public static partial class AlertsCommand
{
    public const int Success = 0;
    public const int Firing = 1;
    public const int Failed = 2;
    public const string DefaultServer = "http://localhost:5080";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr, HttpMessageHandler? handler = null)
    {
        var server = new Option<string>("--server") { Description = "The monitor service's address", DefaultValueFactory = _ => DefaultServer, Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON instead of text", Recursive = true };
        var apiKey = ServiceApiKey.CreateOption(recursive: true);
        var command = new Command("alerts", "List, acknowledge and silence the alerts of the running monitor service (over its HTTP API).");
        command.Options.Add(server);
        command.Options.Add(json);
        command.Options.Add(apiKey);
        var context = new Context(server, json, apiKey, stdout, stderr, handler);
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Acknowledge(context));
        command.Subcommands.Add(Silence(context));
        command.Subcommands.Add(Silences(context));
        command.Subcommands.Add(Unsilence(context));
        command.Subcommands.Add(AlertsTestCommand.Create(server, json, apiKey, stdout, stderr));
        return command;
    }

    private sealed record Context(Option<string> Server, Option<bool> Json, Option<string?> ApiKey, TextWriter Stdout, TextWriter Stderr, HttpMessageHandler? Handler);

    private static Command List(Context context)
    {
        var state = new Option<string?>("--state") { Description = "pending, firing or resolved (default: pending and firing)" };
        state.AcceptOnlyFromAmong("pending", "firing", "resolved");
        var filters = new Option<string[]>("--filter") { Description = "A label matcher (repeatable): domain=shop.example, check=~spf|dkim, severity!=warning" };
        var all = new Option<bool>("--all") { Description = "Include resolved alerts" };
        var command = new Command("list", "List the alerts: state (pending, firing, resolved), severity, name, labels, since when, acknowledged by, muted by. Exit code 1 when any is firing.");
        command.Options.Add(state);
        command.Options.Add(filters);
        command.Options.Add(all);
        command.SetAction(async (ParseResult parsed, CancellationToken ct) =>
        {
            var query = new List<string>();
            if (parsed.GetValue(state) is { } s)
            {
                query.Add("state=" + s);
            }

            if (parsed.GetValue(all))
            {
                query.Add("resolved=true");
            }

            query.AddRange((parsed.GetValue(filters) ?? []).Select(f => "filter=" + Uri.EscapeDataString(f)));
            return await CallAsync(context, parsed, ct, async client =>
            {
                var response = await client.GetAsync("/api/alerts" + (query.Count > 0 ? "?" + string.Join("&", query) : ""), ct);
                var alerts = await ReadAsync<AlertDto[]>(response, ct);
                if (parsed.GetValue(context.Json))
                {
                    await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(alerts, Json));
                }
                else
                {
                    await WriteAlertsAsync(context.Stdout, alerts);
                }

                return alerts.Any(a => a.State == "firing") ? Firing : Success;
            });
        });
        return command;
    }

    private static Command Acknowledge(Context context)
    {
        var fingerprint = new Argument<string>("fingerprint") { Description = "The alert's fingerprint (first column of 'monitor alerts list')" };
        var by = new Option<string>("--by") { Description = "On whose behalf, when not the API key's owner (default: the USER environment variable); the service records the API key as who acknowledged and this name as a note", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("USER") ?? "" };
        var command = new Command("ack", "Acknowledge a pending or firing alert: it stays acknowledged until it resolves, and its group is not repeated while all its alerts are acknowledged.");
        command.Arguments.Add(fingerprint);
        command.Options.Add(by);
        command.SetAction(async (ParseResult parsed, CancellationToken ct) => await CallAsync(context, parsed, ct, async client =>
        {
            var response = await client.PostAsJsonAsync($"/api/alerts/{Uri.EscapeDataString(parsed.GetValue(fingerprint)!)}/acknowledge", new AcknowledgeRequest(NullIfBlank(parsed.GetValue(by))), ct);
            var alert = await ReadAsync<AlertDto>(response, ct);
            await context.Stdout.WriteLineAsync(parsed.GetValue(context.Json)
                ? JsonSerializer.Serialize(alert, Json)
                : $"{alert.Fingerprint} {alert.AlertName} acknowledged by {alert.AcknowledgedBy} at {alert.AcknowledgedAt:u}");
            return Success;
        }));
        return command;
    }

    private static Command Silence(Context context)
    {
        var matchers = new Argument<string[]>("matcher") { Description = "Label matchers, all of which must match: domain=shop.example check=~spf|dkim", Arity = ArgumentArity.OneOrMore };
        var duration = new Option<string>("--duration") { Description = "How long: 90m, 2h, 1d or 01:30:00", DefaultValueFactory = _ => "2h" };
        var author = new Option<string>("--author") { Description = "On whose behalf, when not the API key's owner (default: the USER environment variable); the service records the API key as the author and this name in the comment", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("USER") ?? "" };
        var comment = new Option<string>("--comment") { Description = "Why", DefaultValueFactory = _ => "" };
        var command = new Command("silence", "Silence the alerts matching all the matchers for a while: they are still evaluated and listed, but not notified.");
        command.Arguments.Add(matchers);
        command.Options.Add(duration);
        command.Options.Add(author);
        command.Options.Add(comment);
        command.Validators.Add(result =>
        {
            // Validators see no default value: an absent --duration is the default, not an error.
            if (result.GetValue(duration) is { Length: > 0 } text && !TryParseDuration(text, out _))
            {
                result.AddError($"--duration: '{result.GetValue(duration)}' is not a duration (90m, 2h, 1d or 01:30:00)");
            }
        });
        command.SetAction(async (ParseResult parsed, CancellationToken ct) => await CallAsync(context, parsed, ct, async client =>
        {
            _ = TryParseDuration(parsed.GetValue(duration) is { Length: > 0 } text ? text : "2h", out var length);
            var request = new CreateSilenceRequest(parsed.GetValue(matchers), StartsAt: null, EndsAt: null, length, NullIfBlank(parsed.GetValue(author)), parsed.GetValue(comment));
            var silence = await ReadAsync<SilenceDto>(await client.PostAsJsonAsync("/api/alerts/silences", request, ct), ct);
            await context.Stdout.WriteLineAsync(parsed.GetValue(context.Json)
                ? JsonSerializer.Serialize(silence, Json)
                : $"silence {silence.Id} {silence.Status} until {silence.EndsAt:u}: {string.Join(" ", silence.Matchers)}");
            return Success;
        }));
        return command;
    }

    private static Command Silences(Context context)
    {
        var expired = new Option<bool>("--expired") { Description = "Include expired silences" };
        var command = new Command("silences", "List the silences: id, status (pending, active, expired), until when, matchers, author, comment.");
        command.Options.Add(expired);
        command.SetAction(async (ParseResult parsed, CancellationToken ct) => await CallAsync(context, parsed, ct, async client =>
        {
            var silences = await ReadAsync<SilenceDto[]>(await client.GetAsync("/api/alerts/silences" + (parsed.GetValue(expired) ? "?expired=true" : ""), ct), ct);
            if (parsed.GetValue(context.Json))
            {
                await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(silences, Json));
                return Success;
            }

            if (silences.Length == 0)
            {
                await context.Stdout.WriteLineAsync("no silences");
            }

            foreach (var s in silences)
            {
                await context.Stdout.WriteLineAsync($"{s.Id}  {s.Status,-8}  until {s.EndsAt:u}  {string.Join(" ", s.Matchers)}  by {s.CreatedBy}: {s.Comment}");
            }

            return Success;
        }));
        return command;
    }

    private static Command Unsilence(Context context)
    {
        var id = new Argument<string>("silence-id") { Description = "The silence's id (from 'monitor alerts silences')" };
        var command = new Command("unsilence", "Expire a silence now: its alerts are notified again from the next evaluation.");
        command.Aliases.Add("expire");
        command.Arguments.Add(id);
        command.SetAction(async (ParseResult parsed, CancellationToken ct) => await CallAsync(context, parsed, ct, async client =>
        {
            var silence = await ReadAsync<SilenceDto>(await client.DeleteAsync($"/api/alerts/silences/{Uri.EscapeDataString(parsed.GetValue(id)!)}", ct), ct);
            await context.Stdout.WriteLineAsync(parsed.GetValue(context.Json) ? JsonSerializer.Serialize(silence, Json) : $"silence {silence.Id} expired at {silence.EndsAt:u}");
            return Success;
        }));
        return command;
    }

    /// <summary>Calls the service; an unreachable service or a refused request is one line on stderr and exit code 2.</summary>
    private static async Task<int> CallAsync(Context context, ParseResult parsed, CancellationToken cancellationToken, Func<HttpClient, Task<int>> call)
    {
        var server = parsed.GetValue(context.Server)!;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await context.Stderr.WriteLineAsync($"error: --server '{server}' is not an http(s) address");
            return Failed;
        }

        using var client = context.Handler is null ? new HttpClient() : new HttpClient(context.Handler, disposeHandler: false);
        client.BaseAddress = address;
        client.Timeout = TimeSpan.FromSeconds(30);
        ServiceApiKey.Apply(client, parsed.GetValue(context.ApiKey));
        try
        {
            return await call(client);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            await context.Stderr.WriteLineAsync($"error: cannot reach the monitor service at {address} ({ex.Message}); is it running? (--server)");
            return Failed;
        }
        catch (ApiRefusedException ex)
        {
            await context.Stderr.WriteLineAsync($"error: {ex.Message}");
            return Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await context.Stderr.WriteLineAsync($"error: the monitor service at {address} did not answer in time");
            return Failed;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var problem = await TryReadProblemAsync(response, cancellationToken);
            var hint = response.StatusCode is HttpStatusCode.Unauthorized ? $" ({ServiceApiKey.Hint})"
                : response.StatusCode is HttpStatusCode.Forbidden ? " (this API key's role may not do this)" : "";
            throw new ApiRefusedException($"{(int)response.StatusCode} {problem ?? response.ReasonPhrase}{hint}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private static async Task<string?> TryReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemView>(Json, cancellationToken);
            return problem is null ? null : $"{problem.Title}: {problem.Detail}";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAlertsAsync(TextWriter stdout, AlertDto[] alerts)
    {
        if (alerts.Length == 0)
        {
            await stdout.WriteLineAsync("no alerts");
            return;
        }

        foreach (var a in alerts)
        {
            var subject = string.Join(" ", a.Labels.Where(l => l.Key is not ("alertname" or "severity")).Select(l => $"{l.Key}={l.Value}"));
            var extra = (a.AcknowledgedBy is null ? "" : $"  acknowledged by {a.AcknowledgedBy}") + (a.MutedBy is null ? "" : $"  muted by {a.MutedBy}");
            var since = a.StartsAt ?? a.ActiveSince;
            await stdout.WriteLineAsync($"{a.Fingerprint}  {a.State,-8}  {a.Severity,-8}  {a.AlertName}  {subject}  since {since:u}{extra}");
            if (a.Annotations.TryGetValue("summary", out var summary))
            {
                await stdout.WriteLineAsync($"    {summary}");
            }
        }
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>90m, 2h, 1d, 45s or a TimeSpan (01:30:00); false for anything else, a huge number included.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var value = text?.Trim() ?? "";
        var match = ShortDuration().Match(value);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            try
            {
                duration = match.Groups["unit"].Value switch
                {
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
            }
            catch (OverflowException)
            {
                return false; // more than TimeSpan can hold (about 29,000 years)
            }
        }
        else if (!value.Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration))
        {
            return false;
        }

        return duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<unit>[smhd])$")]
    private static partial Regex ShortDuration();

    private sealed class ApiRefusedException(string message) : Exception(message);

    private sealed record ProblemView(string? Title, string? Detail);
}
