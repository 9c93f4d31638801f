using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Monitor.Server.Infrastructure;

/// <summary>
/// The JSON body of an alerts request, read with a size limit before anything is parsed, so that a hostile client
/// cannot make the service hold megabytes; a body too large or not valid is a problem that names the field.
/// </summary>
public sealed class BoundedJsonBody<T> : IBindableFromHttpContext<BoundedJsonBody<T>>
    where T : class
{
    /// <summary>The largest body accepted: far more than the largest valid request (20 matchers of 1,024 characters and a comment of 1,000).</summary>
    public const int MaxBytes = 64 * 1024;

    private BoundedJsonBody(T? value, int status, string? problem)
    {
        Value = value;
        Status = status;
        Problem = problem;
    }

    /// <summary>The request, or null when the body is empty or has a problem.</summary>
    public T? Value { get; }

    /// <summary>400, 413 or 415 when there is a <see cref="Problem"/>.</summary>
    public int Status { get; }

    public string? Problem { get; }

    public static async ValueTask<BoundedJsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        // Also when no length is announced (chunked): the server stops reading past the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        using var body = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBytes)
                {
                    return TooLarge();
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        if (body.Length == 0)
        {
            return new BoundedJsonBody<T>(null, StatusCodes.Status200OK, null);
        }

        // As the framework's own JSON binding: a form or plain text post (what a cross-site form sends) is not a request here.
        if (!request.HasJsonContentType())
        {
            return new BoundedJsonBody<T>(null, StatusCodes.Status415UnsupportedMediaType, "body: send JSON (Content-Type: application/json)");
        }

        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        try
        {
            return new BoundedJsonBody<T>(JsonSerializer.Deserialize<T>(body.GetBuffer().AsSpan(0, (int)body.Length), json), StatusCodes.Status200OK, null);
        }
        catch (JsonException ex)
        {
            return new BoundedJsonBody<T>(null, StatusCodes.Status400BadRequest, Describe(ex.Path));
        }
    }

    private static BoundedJsonBody<T> TooLarge() =>
        new(null, StatusCodes.Status413PayloadTooLarge, $"body: at most {MaxBytes} bytes are accepted");

    // The serializer's message names .NET types; the field and the expected form are what a client can act on.
    private static string Describe(string? path)
    {
        var field = path is null or "$" ? null : path.TrimStart('$', '.');
        var expected = field?.Split('.', '[')[0] switch
        {
            "duration" => "a time span such as \"02:00:00\" or \"1.00:00:00\"",
            "startsAt" or "endsAt" => "a date and time such as \"2026-11-27T18:00:00Z\"",
            "matchers" => "a list of matchers such as [\"domain=shop.example\"]",
            _ => "a string",
        };
        return field is null ? "body: not a JSON object" : $"{field}: not valid ({expected} is expected)";
    }
}
