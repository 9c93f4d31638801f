using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Configuration;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Settings;

/// <summary>The answers every settings endpoint shares: problems in the API's field names, conflicts, and who changed what.</summary>
internal static class SettingResults
{
    /// <summary>Every problem at once, each under the JSON path of its field (<c>imap.host</c>, <c>email.to[1]</c>).</summary>
    public static ValidationProblem Invalid(IEnumerable<FieldProblem> problems) =>
        TypedResults.ValidationProblem(
            problems.GroupBy(p => JsonPath(p.Field), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal),
            title: "The setting is not valid: nothing was stored");

    /// <summary>The request's body was missing, too large, not JSON or not of the setting's shape (400, 413 or 415).</summary>
    public static ProblemHttpResult? BodyProblem<T>(BoundedJsonBody<T>? body)
        where T : class
    {
        if (body?.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: body.Status, title: "The body is not a valid setting", detail: problem);
        }

        return body?.Value is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a valid setting", detail: "body: a JSON object is required")
            : null;
    }

    public static ProblemHttpResult NotFound(string what, string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}", detail: $"No {what} is called {Quote(name)}.");

    /// <summary>The item comes from configuration: only the file or the environment changes it, as on the settings page.</summary>
    public static ProblemHttpResult FromConfiguration(string what, string name, string section) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: $"The {what} comes from configuration",
            detail: $"The {what} {Quote(name)} is set in configuration ({section}): it is read-only here; change it in the settings file or the environment.");

    public static ProblemHttpResult AlreadyAdded(string what, string name, string path) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: $"The {what} exists",
            detail: $"A {what} called {Quote(name)} was already added in the dashboard: PUT {path} changes it.");

    public static ProblemHttpResult Renamed(string field, string name) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The body names another item",
            detail: $"{field}: the body names {Quote(name)}, another item than the address of the request; an item cannot be renamed: add the new one and delete the old one.");

    public static string Source(SettingOrigin origin) => origin == SettingOrigin.Configuration ? "configuration" : "dashboard";

    /// <summary>Who made the change, as the settings pages record it (a user name, or <c>api-key:NAME</c>).</summary>
    public static string By(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>A name from the request, quoted and cut short: it is the client's own text.</summary>
    public static string Quote(string value) => value.Length <= 100 ? $"'{value}'" : $"'{value[..100]}...'";

    /// <summary><c>Folders:Other:3</c> (the key below the item, as in configuration) as <c>folders.other[3]</c>.</summary>
    public static string JsonPath(string field)
    {
        var path = new System.Text.StringBuilder();
        foreach (var segment in field.Split(':'))
        {
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            {
                path.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (path.Length > 0)
                {
                    path.Append('.');
                }

                path.Append(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(segment));
            }
        }

        return path.ToString();
    }
}
