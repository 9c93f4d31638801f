using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Deliverability.Server.Tests.Auth;

/// <summary>An API key's name is shown in lists, logs and terminals: no control or formatting characters, at most 100 characters.</summary>
public sealed class ApiKeyNameTests : ServiceFixture
{
    [Theory]
    [InlineData("ci\u0000nul")]
    [InlineData("ci\u001b[31mred")]
    [InlineData("two\r\nlines")]
    [InlineData("tab\tbed")]
    [InlineData("\u202Edrowssap")]
    public async Task A_name_with_a_control_character_is_refused_with_400_naming_the_field(string name)
    {
        await using var app = StartService();
        var admin = app.CreateClient();
        var keysBefore = await admin.GetStringAsync("/api/api-keys");

        var response = await admin.PostAsJsonAsync("/api/api-keys", new { name, role = "Viewer" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty("name")[0].GetString();
        Assert.Contains("control or formatting character", message, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await admin.GetStringAsync("/api/api-keys"));
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_refused_and_one_of_100_is_taken()
    {
        await using var app = StartService();
        var admin = app.CreateClient();

        var tooLong = await admin.PostAsJsonAsync("/api/api-keys", new { name = new string('k', 101), role = "Viewer" });
        var longest = await admin.PostAsJsonAsync("/api/api-keys", new { name = new string('k', 100), role = "Viewer" });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("\"name\"", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }
}
