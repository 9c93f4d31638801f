using System.CommandLine;

namespace Deliverability.Cli;

/// <summary>
/// The API key that commands talking to the running service send in <c>X-Api-Key</c> (every API endpoint needs one):
/// <c>--api-key</c>, else the <c>MONITOR_API_KEY</c> environment variable, which keeps the key out of the process list
/// and the shell history.
/// </summary>
internal static class ServiceApiKey
{
    public const string EnvironmentVariable = "MONITOR_API_KEY";

    public const string Header = "X-Api-Key";

    public const string Hint = $"give an API key (Settings > API keys in the dashboard) in {EnvironmentVariable} or with --api-key";

    public static Option<string?> CreateOption(bool recursive = false) => new("--api-key")
    {
        Description = $"An API key of the service (default: the {EnvironmentVariable} environment variable)",
        Recursive = recursive,
    };

    /// <summary>Adds the key from <paramref name="given"/> or the environment to every request of <paramref name="client"/>.</summary>
    public static void Apply(HttpClient client, string? given)
    {
        var key = string.IsNullOrWhiteSpace(given) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : given;
        if (!string.IsNullOrWhiteSpace(key))
        {
            client.DefaultRequestHeaders.Add(Header, key.Trim());
        }
    }
}
