namespace Deliverability.Testing.Host;

/// <summary>The API keys (one per role) and the first administrator's password that <see cref="MonitorApplication"/> provisions.</summary>
public static class TestApiKeys
{
    public const string Header = "X-Api-Key";
    public const string Admin = "mk_test-admin-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string Operator = "mk_test-operator-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string Viewer = "mk_test-viewer-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string AdminPassword = "Test-admin-password-1";

    public static string For(string role) => role switch
    {
        "Admin" => Admin,
        "Operator" => Operator,
        "Viewer" => Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };
}
