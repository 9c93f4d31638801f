namespace Deliverability.Core.Audits;

public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One thing a check found. <see cref="Code"/> is stable (alerts, silences and dashboards key on it);
/// <see cref="Message"/> says what is wrong in words a person understands; <see cref="Fix"/> says what to change.
/// </summary>
public sealed record Finding(string Code, Severity Severity, string Message, string Fix)
{
    /// <summary>What the finding is about when a check covers several things (a selector, an IP, an MX host).</summary>
    public string? Subject { get; init; }

    public static Finding Error(string code, string message, string fix) => new(code, Severity.Error, message, fix);

    public static Finding Warning(string code, string message, string fix) => new(code, Severity.Warning, message, fix);

    public static Finding Info(string code, string message, string fix = "") => new(code, Severity.Info, message, fix);
}
