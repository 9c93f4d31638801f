namespace Deliverability.Server.Tests.LoadTests;

/// <summary>Scenario files written by a test into the service's scenario folder (<c>Monitor:LoadTests:ScenarioFolder</c>).</summary>
internal static class ScenarioFiles
{
    /// <summary>
    /// An HTTP send scenario against <paramref name="url"/>: <paramref name="rate"/> requests a second for
    /// <paramref name="seconds"/> seconds, bounded to 30 s and 2,000 messages whatever happens.
    /// </summary>
    public static string Http(string name, string url, double rate = 20, int seconds = 3, string sendPath = "api-e2e") => $$$"""
        {
          "name": "{{{name}}}",
          "kind": "http",
          "sendPath": "{{{sendPath}}}",
          "http": {
            "method": "POST",
            "url": "{{{url}}}",
            "headers": { "Content-Type": "application/json" },
            "body": { "id": "{{uuid}}", "to": "{{recipient}}" },
            "recipients": ["sink@example.com"],
            "connections": 5,
            "timeout": "5s"
          },
          "load": { "rate": {{{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}, "duration": "{{{seconds}}}s" },
          "thresholds": ["p99 < 10000ms", "error_rate < 50%"],
          "maxDuration": "30s",
          "maxMessages": 2000
        }
        """;

    /// <summary>
    /// A capacity search of an HTTP send API at <paramref name="url"/>: 10, 20 then 40 requests a second for 2 s each,
    /// bounded to 60 s in all.
    /// </summary>
    public static string HttpCapacity(string name, string url) => $$$"""
        {
          "name": "{{{name}}}",
          "kind": "http",
          "sendPath": "api-capacity",
          "http": {
            "method": "POST",
            "url": "{{{url}}}",
            "headers": { "Content-Type": "application/json" },
            "body": { "id": "{{uuid}}" },
            "connections": 20,
            "timeout": "5s"
          },
          "capacity": { "startRate": 10, "maxRate": 40, "stepDuration": "2s", "stepFactor": 2, "tolerance": 0.05, "maxSteps": 5 },
          "thresholds": ["p99 < 10000ms", "error_rate < 50%"],
          "maxDuration": "60s"
        }
        """;

    /// <summary>An SMTP scenario whose messages would go to a real mailbox provider: the safety check refuses it before any connection.</summary>
    public static string SmtpToRealRecipients(string name, int port) => $$$"""
        {
          "name": "{{{name}}}",
          "kind": "smtp",
          "sendPath": "mta",
          "smtp": { "host": "127.0.0.1", "port": {{{port}}}, "from": "loadtest@example.com", "recipients": ["someone@gmail.com"] },
          "load": { "rate": 5, "duration": "2s" },
          "maxDuration": "10s"
        }
        """;

    public static void Write(string folder, string file, string text)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, file), text);
    }
}
