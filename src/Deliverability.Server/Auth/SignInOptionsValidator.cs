using Microsoft.Extensions.Options;

namespace Deliverability.Server.Auth;

/// <summary>Every problem of the <c>Auth</c> section, each naming its key; secrets are never echoed.</summary>
public sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    private const string Prefix = SignInOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FirstAdmin.UserName))
        {
            problems.Add($"{Prefix}:FirstAdmin:UserName: must not be empty");
        }

        if (options.FirstAdmin.Password is { Length: > 0 and < 12 })
        {
            problems.Add($"{Prefix}:FirstAdmin:Password: must be at least 12 characters");
        }

        if (options.SignInAttemptsPerMinute < 1)
        {
            problems.Add($"{Prefix}:SignInAttemptsPerMinute: must be at least 1 (was {options.SignInAttemptsPerMinute})");
        }

        if (options.LockoutAttempts < 1)
        {
            problems.Add($"{Prefix}:LockoutAttempts: must be at least 1 (was {options.LockoutAttempts})");
        }

        if (options.LockoutDuration <= TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:LockoutDuration: must be positive (was {options.LockoutDuration})");
        }

        if (options.RevalidationInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:RevalidationInterval: must be positive (was {options.RevalidationInterval})");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (ApiKeyName.Problem(key.Name) is { } nameProblem)
            {
                problems.Add($"{Prefix}:ApiKeys:{i}:Name: {nameProblem}");
            }

            if (MonitorRoles.Parse(key.Role) is null)
            {
                problems.Add($"{Prefix}:ApiKeys:{i}:Role: '{key.Role}' is not a role ({string.Join(", ", MonitorRoles.All)})");
            }

            if (key.Key.Length < 32)
            {
                problems.Add($"{Prefix}:ApiKeys:{i}:Key: must be at least 32 characters");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
