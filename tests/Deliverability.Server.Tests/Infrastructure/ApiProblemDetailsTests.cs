using System.Net;
using System.Text;

namespace Deliverability.Server.Tests.Infrastructure;

/// <summary>Every 4xx of the API that the service itself answers carries RFC 9457 problem details, over a real Kestrel.</summary>
public sealed class ApiProblemDetailsTests : ServiceFixture
{
    [Fact]
    public async Task Bad_requests_of_every_kind_get_problem_details()
    {
        await using var app = StartService(Domains("example.test"));
        var service = new Uri(app.StartOnKestrel().BaseUrl);
        var anonymous = LoopbackClient.From("127.0.0.1", service);
        var viewer = LoopbackClient.From("127.0.0.1", service);
        viewer.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Viewer);
        var admin = LoopbackClient.From("127.0.0.1", service);
        admin.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Admin);

        (HttpClient Client, string Method, string Path, string? Json, HttpStatusCode Expected)[] requests =
        [
            (anonymous, "GET", "/api/domains", null, HttpStatusCode.Unauthorized),
            (viewer, "POST", "/api/domains/example.test/audit", null, HttpStatusCode.Forbidden),
            (admin, "GET", "/api/domains/x%01", null, HttpStatusCode.NotFound),
            (admin, "GET", "/api/no-such-thing", null, HttpStatusCode.NotFound),
            (admin, "PATCH", "/api/domains", null, HttpStatusCode.MethodNotAllowed),
            (admin, "DELETE", "/api/api-keys/not-a-number", null, HttpStatusCode.NotFound),
            (admin, "POST", "/api/api-keys", "{\"name\":", HttpStatusCode.BadRequest),
            (admin, "POST", "/api/api-keys", "{\"name\":\"ci\",\"role\":\"Root\"}", HttpStatusCode.BadRequest),
        ];

        foreach (var (client, method, path, json, expected) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
            var response = await client.SendAsync(request);
            var what = $"{method} {path}: {(int)response.StatusCode} {response.Content.Headers.ContentType}";
            Assert.True(response.StatusCode == expected, what);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
            Assert.Contains($"\"status\":{(int)expected}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
