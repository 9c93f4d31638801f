using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Auth;

public enum PasswordSignInResult
{
    SignedIn,

    /// <summary>Signed in with a one-time password: the session may only choose a new one (see <see cref="OneTimePasswordGate"/>).</summary>
    SignedInWithOneTimePassword,

    /// <summary>Wrong user name or password; the same answer whether the name exists or not.</summary>
    Refused,

    /// <summary>This client made too many wrong attempts for this name (see <see cref="SignInLockout"/>).</summary>
    LockedOut,
}

/// <summary>
/// The sign-in form's check. A name that is no user costs the same work as one that is (a password hash is verified
/// against a decoy) and gets the same answers, lockout included, so neither the answer nor its time tells which names exist.
/// </summary>
public sealed partial class PasswordSignIn(
    UserManager<MonitorUser> users,
    SignInManager<MonitorUser> signIn,
    SignInLockout lockout,
    DecoyPasswordHash decoy,
    IOptions<SignInOptions> options,
    ILogger<PasswordSignIn> logger)
{
    public async Task<PasswordSignInResult> SignInAsync(string userName, string password, IPAddress? clientAddress)
    {
        var typed = userName.Trim();
        var name = users.NormalizeName(typed) ?? "";
        var client = SignInClient.KeyOf(clientAddress);
        if (lockout.IsLockedOut(name, client))
        {
            return PasswordSignInResult.LockedOut;
        }

        var user = await users.FindByNameAsync(typed);
        if (user is null)
        {
            decoy.Verify(password);
        }

        // Identity's own lockout (one per account) stays off: SignInLockout counts per client instead.
        if (user is null || !(await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded)
        {
            if (!lockout.RecordFailure(name, client))
            {
                return PasswordSignInResult.Refused;
            }

            // A typed name that is no user may be a password typed into the wrong field: only real names are logged.
            LogLockedOut(client, user?.UserName ?? "(no such user)", options.Value.LockoutAttempts, options.Value.LockoutDuration);
            return PasswordSignInResult.LockedOut;
        }

        lockout.Forget(name, client);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "pwd");
        return user.MustChangePassword ? PasswordSignInResult.SignedInWithOneTimePassword : PasswordSignInResult.SignedIn;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {Client} may not sign in as {UserName} for {Duration} after {Attempts} wrong passwords in a row; other clients are not affected")]
    private partial void LogLockedOut(string client, string userName, int attempts, TimeSpan duration);
}

/// <summary>A password hash of a random password, made once by the same hasher as the users' hashes, to verify against for names that are no user.</summary>
public sealed class DecoyPasswordHash(IOptions<PasswordHasherOptions> options)
{
    private readonly PasswordHasher<MonitorUser> _hasher = new(options);
    private readonly Lazy<string> _hash = new(() => new PasswordHasher<MonitorUser>(options).HashPassword(new MonitorUser(), SignInSetup.OneTimePassword()));

    /// <summary>Does the work of checking a user's password; there is nothing to learn from it.</summary>
    public void Verify(string password) => _ = _hasher.VerifyHashedPassword(new MonitorUser(), _hash.Value, password);
}
