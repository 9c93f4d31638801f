using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.SignIn;
using Deliverability.Core.Storage;
using Deliverability.Migrations;

namespace Deliverability.Server.Auth;

/// <summary>
/// At start (after the storage migrations made the sign-in tables): creates the three roles, the API keys named in configuration and, when there is no
/// user at all, the first administrator (password from <c>Auth:FirstAdmin:Password</c>, else a one-time password
/// written to the log once, as Grafana and Jenkins do).
/// </summary>
public sealed partial class SignInSetup(IServiceProvider services, IOptions<SignInOptions> options, IOptions<StorageOptions> storage, IHostEnvironment environment, ILogger<SignInSetup> logger) : IHostedService
{
    // "SIGNIN" in ASCII: nodes of a cluster starting together set up one after the other (one first administrator).
    private const long SetupLockKey = 0x5349474E494E;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var database = storage.Value;
        await using var setupLock = database.ParsedProvider == StorageProvider.Postgres
            ? await AdvisoryLock.AcquireAsync(database.EffectiveConnectionString(environment.ContentRootPath), SetupLockKey, cancellationToken)
            : null;
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var roles = provider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in MonitorRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Require(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }

        var keys = provider.GetRequiredService<ApiKeyStore>();
        foreach (var key in options.Value.ApiKeys)
        {
            await keys.ProvisionAsync(key, cancellationToken);
        }

        var users = provider.GetRequiredService<UserManager<MonitorUser>>();
        if (await users.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var first = options.Value.FirstAdmin;
        var generated = string.IsNullOrEmpty(first.Password);
        var password = generated ? OneTimePassword() : first.Password!;
        var admin = new MonitorUser { UserName = first.UserName.Trim(), MustChangePassword = generated };
        Require(await users.CreateAsync(admin, password), $"create the first administrator '{admin.UserName}' (Auth:FirstAdmin)");
        Require(await users.AddToRoleAsync(admin, MonitorRoles.Admin), "give the first administrator the Admin role");
        if (generated)
        {
            // Printed once on purpose (the only way into a fresh install); it must be changed at first sign-in.
            LogOneTimePassword(admin.UserName, password);
        }
        else
        {
            LogConfiguredAdmin(admin.UserName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>20 characters with every class Identity's default password rules ask for.</summary>
    public static string OneTimePassword()
    {
        const string letters = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var body = RandomNumberGenerator.GetString(letters, 16);
        return body + "-" + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 1) + RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 1) + RandomNumberGenerator.GetString("23456789", 1);
    }

    private static void Require(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No user existed: created the administrator '{UserName}' with the one-time password {Password} . Sign in at /signin and choose a new password; this password is not shown again.")]
    private partial void LogOneTimePassword(string userName, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "No user existed: created the administrator '{UserName}' with the password from Auth:FirstAdmin:Password")]
    private partial void LogConfiguredAdmin(string userName);
}
