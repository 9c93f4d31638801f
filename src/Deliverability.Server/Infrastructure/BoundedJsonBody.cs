using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// The JSON body of a request (alerts, settings), read with a size limit before anything is parsed, so that a hostile
/// client cannot make the service hold megabytes; a body too large or not valid is a problem that names the field and
/// the form expected there (or that it is no field of the request, where the request type refuses unknown fields).
/// </summary>
public sealed class BoundedJsonBody<T> : IBindableFromHttpContext<BoundedJsonBody<T>>
    where T : class
{
    /// <summary>
    /// The largest body accepted: far more than the largest valid request (20 matchers of 1,024 characters and a comment
    /// of 1,000; a receiver with a URL of 2,048 characters and 50 recipients).
    /// </summary>
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

    public static async ValueTask<BoundedJsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter) => await ReadAsync(context);

    /// <summary>Reads the body of <paramref name="context"/>'s request, for a handler that cannot take it as a parameter.</summary>
    public static async ValueTask<BoundedJsonBody<T>> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await BoundedRequestBody.ReadAsync(context, MaxBytes);
        if (body.TooLarge)
        {
            return TooLarge();
        }

        if (body.Bytes.Length == 0)
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
            return new BoundedJsonBody<T>(JsonSerializer.Deserialize<T>(body.Bytes.Span, json), StatusCodes.Status200OK, null);
        }
        catch (JsonException ex)
        {
            return new BoundedJsonBody<T>(null, StatusCodes.Status400BadRequest, Describe(ex.Path));
        }
    }

    private static BoundedJsonBody<T> TooLarge() =>
        new(null, StatusCodes.Status413PayloadTooLarge, $"body: at most {MaxBytes} bytes are accepted");

    // The serializer's message names .NET types; the field and the expected form are what a client can act on. The
    // field is the client's own text: shown cut short.
    private static string Describe(string? path)
    {
        var field = path is null or "$" ? null : path.TrimStart('$', '.');
        if (field is null)
        {
            return "body: not a JSON object";
        }

        var shown = field.Length <= 100 ? field : field[..100] + "...";
        var expected = field.Split('.', '[')[0] switch
        {
            "duration" => "a time span such as \"02:00:00\" or \"1.00:00:00\"",
            "startsAt" or "endsAt" => "a date and time such as \"2026-11-27T18:00:00Z\"",
            "matchers" => "a list of matchers such as [\"domain=shop.example\"]",
            _ => FieldType(field) is { } type ? Expected(type) : null,
        };
        return expected is null ? $"{shown}: is not a field of this request" : $"{shown}: not valid ({expected} is expected)";
    }

    /// <summary>The type of the member at <paramref name="field"/> (<c>imap.port</c>, <c>email.to[2]</c>) in <typeparamref name="T"/>; null when no member is there.</summary>
    private static Type? FieldType(string field)
    {
        var type = typeof(T);
        foreach (var segment in field.Split('.'))
        {
            var name = segment.Split('[')[0];
            var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null || segment.Contains('\'', StringComparison.Ordinal))
            {
                return null;
            }

            type = property.PropertyType;
            for (var i = segment.Count(c => c == '['); i > 0; i--)
            {
                type = ItemType(type) ?? type;
            }
        }

        return type;
    }

    private static Type? ItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) || type == typeof(decimal) ? "a number"
            : type == typeof(TimeSpan) ? "a time span such as \"02:00:00\""
            : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? "a date and time such as \"2026-11-27T18:00:00Z\""
            : type == typeof(DateOnly) ? "a date such as \"2026-12-01\""
            : ItemType(type) is { } item && !type.IsAssignableTo(typeof(System.Collections.IDictionary)) && !IsDictionary(type) ? $"a list of {Plural(Expected(item))}"
            : "an object";
    }

    private static bool IsDictionary(Type type) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

    private static string Plural(string expected) => expected switch
    {
        "a string" => "strings",
        "a whole number" => "whole numbers",
        "a number" => "numbers",
        _ => "values",
    };
}
