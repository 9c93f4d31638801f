using System.Net;
using System.Text.RegularExpressions;

namespace Deliverability.Server.Tests.Auth;

/// <summary>
/// Guessing passwords: an unknown user name answers exactly as a known one (also once locked), and a client that keeps
/// guessing is locked out of that account and then throttled, while the real user signs in from another client.
/// </summary>
public sealed partial class SignInThrottlingTests : ServiceFixture
{
    private const string WrongPassword = "Wrong-guess-password-7";

    [Fact]
    public async Task An_unknown_user_name_gets_the_same_answer_as_a_known_one_before_and_after_the_lockout()
    {
        await using var app = StartService(("Auth:LockoutAttempts", "3"), ("Auth:SignInAttemptsPerMinute", "100"));
        var client = app.CreateAnonymousClient();

        var answers = new List<(string Known, string Unknown)>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var known = await AuthorizationTests.SignInAsync(client, "admin", WrongPassword);
            var unknown = await AuthorizationTests.SignInAsync(client, "nobody", WrongPassword);
            answers.Add((await AnswerAsync(known, "admin"), await AnswerAsync(unknown, "nobody")));
        }

        Assert.All(answers, pair => Assert.Equal(pair.Known, pair.Unknown));
        Assert.Contains("Wrong user name or password.", answers[0].Known, StringComparison.Ordinal);
        Assert.Contains("locked", answers[4].Known, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, answers[0].Known, StringComparison.Ordinal); // what was typed is not sent back
    }

    [Fact]
    public async Task A_client_guessing_the_admin_password_is_locked_out_and_throttled_while_the_admin_signs_in_from_another()
    {
        await using var app = StartService(("Auth:LockoutAttempts", "5"), ("Auth:SignInAttemptsPerMinute", "8"));
        var service = new Uri(app.StartOnKestrel().BaseUrl);
        var stranger = LoopbackClient.From("127.0.0.2", service);
        var administrator = LoopbackClient.From("127.0.0.1", service);

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            guesses.Add((await AuthorizationTests.SignInAsync(stranger, "admin", WrongPassword)).StatusCode);
        }

        // Even the right password does not open the account from the client that guessed.
        var strangerWithThePassword = await AuthorizationTests.SignInAsync(stranger, "admin", TestApiKeys.AdminPassword);
        Assert.Contains("locked", await strangerWithThePassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/domains")).StatusCode);

        // The administrator, from another address, signs in at once.
        var admin = await AuthorizationTests.SignInAsync(administrator, "admin", TestApiKeys.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync("/api/domains")).StatusCode);

        // The stranger's posts beyond Auth:SignInAttemptsPerMinute are refused outright.
        guesses.Add((await AuthorizationTests.SignInAsync(stranger, "admin", WrongPassword)).StatusCode);
        guesses.Add((await AuthorizationTests.SignInAsync(stranger, "admin", WrongPassword)).StatusCode);
        guesses.Add((await AuthorizationTests.SignInAsync(stranger, "someone", WrongPassword)).StatusCode);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 7), HttpStatusCode.TooManyRequests], guesses);

        // The administrator's next sign-in, from another browser at the same address, is not affected either.
        Assert.Equal(HttpStatusCode.Redirect, (await AuthorizationTests.SignInAsync(LoopbackClient.From("127.0.0.1", service), "admin", TestApiKeys.AdminPassword)).StatusCode);
    }

    /// <summary>Status and page of a sign-in answer, with the parts that differ by request only (the encrypted tokens, the name typed) masked.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, string typedName)
    {
        var html = await response.Content.ReadAsStringAsync();
        html = AntiforgeryToken().Replace(html, "value=\"TOKEN\"");
        html = ComponentState().Replace(html, "<!--STATE-->");
        html = html.Replace($"value=\"{typedName}\"", "value=\"NAME\"", StringComparison.Ordinal);
        return $"{(int)response.StatusCode}\n{html}";
    }

    [GeneratedRegex(@"value=""[^""]{40,}""")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:[^>]*-->")]
    private static partial Regex ComponentState();
}
