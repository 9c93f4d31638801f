namespace Deliverability.Server.Auth;

/// <summary>
/// The three roles. Each includes the ones below it: an Operator can do what a Viewer can, an Admin what an Operator can.
/// A user or an API key holds exactly one.
/// </summary>
public static class MonitorRoles
{
    /// <summary>Reads every page and GET endpoint.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Also acknowledges and silences alerts and runs checks (POST/PUT/PATCH/DELETE under /api).</summary>
    public const string Operator = "Operator";

    /// <summary>Also changes settings, users and API keys.</summary>
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>The roles whose holders may do what <paramref name="required"/> may.</summary>
    public static string[] AtLeast(string required) => required switch
    {
        Viewer => [Viewer, Operator, Admin],
        Operator => [Operator, Admin],
        Admin => [Admin],
        _ => throw new ArgumentOutOfRangeException(nameof(required), required, "not a role"),
    };

    /// <summary>The role spelt as we spell it, or null when <paramref name="role"/> is none of the three.</summary>
    public static string? Parse(string? role) => All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Authorization policy names: one per role, each met by that role and the ones above it.</summary>
public static class AuthPolicies
{
    public const string Viewer = MonitorRoles.Viewer;
    public const string Operator = MonitorRoles.Operator;
    public const string Admin = MonitorRoles.Admin;
}
