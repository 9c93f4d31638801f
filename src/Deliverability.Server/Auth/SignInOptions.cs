namespace Deliverability.Server.Auth;

/// <summary>Sign-in, the first administrator and API keys provisioned from configuration. Bound from the <c>Auth</c> section.</summary>
public sealed class SignInOptions
{
    public const string SectionName = "Auth";

    /// <summary>The account created on first start when there is no user at all.</summary>
    public FirstAdminOptions FirstAdmin { get; set; } = new();

    /// <summary>Sign-in attempts (posts of the sign-in form) allowed per client address per minute; more get 429.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Wrong passwords in a row for one user name from one client before that client may not sign in as that name (see
    /// <see cref="SignInLockout"/>); the account itself is never locked.
    /// </summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>How long such a client stays locked out of that name.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a signed-in user is checked against the user store (sign-in cookie and open dashboards): a changed
    /// role applies, and a deleted or disabled user is signed out, within this time.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// API keys provisioned from configuration (for a deployment pipeline, or tests): stored hashed at start. Keys made
    /// in the dashboard are stored hashed only and never need to appear here.
    /// </summary>
    public List<ProvisionedApiKey> ApiKeys { get; set; } = [];
}

public sealed class FirstAdminOptions
{
    public string UserName { get; set; } = "admin";

    /// <summary>Empty: a one-time password is generated and written to the log once, and must be changed at first sign-in.</summary>
    public string? Password { get; set; }
}

public sealed class ProvisionedApiKey
{
    public string Name { get; set; } = "";

    public string Role { get; set; } = MonitorRoles.Viewer;

    /// <summary>At least 32 characters.</summary>
    public string Key { get; set; } = "";
}
