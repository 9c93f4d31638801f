using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Deliverability.Server.Tests.Settings;

/// <summary>An answer of the settings API: its status and body as text (for "the secret is nowhere in it" checks) and JSON.</summary>
internal sealed record SettingsAnswer(HttpStatusCode Status, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The fields a 400 ValidationProblem names, in order.</summary>
    public IReadOnlyList<string> ErrorFields => [.. Json.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    public string Error(string field) => string.Join(" ", Json.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
}

internal static class SettingsHttp
{
    public static async Task<SettingsAnswer> SendAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, options: JsonSerializerOptions.Web) };
        using var response = await client.SendAsync(request);
        return new SettingsAnswer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="json"/> as it is (malformed or hostile bodies).</summary>
    public static async Task<SettingsAnswer> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, contentType) };
        using var response = await client.SendAsync(request);
        return new SettingsAnswer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<SettingsAnswer> GetAnswerAsync(this HttpClient client, string url) => client.SendAsync(HttpMethod.Get, url);
}
