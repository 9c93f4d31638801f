using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Secrets;
using Deliverability.Server.Tests.Auth;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.Cluster;

/// <summary>Two nodes on one PostgreSQL database, each with a keys folder of its own: the Data Protection keys are shared.</summary>
public sealed partial class SharedKeyRingTests(PostgresFixture postgres) : ServiceFixture, IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_sign_in_cookie_and_an_antiforgery_token_made_by_one_node_are_accepted_by_another()
    {
        var database = postgres.Server.ConnectionString("keyring");
        await using var nodeA = Node(database, "keys-a");
        await using var nodeB = Node(database, "keys-b");

        // The form and its antiforgery cookie come from A; B takes the posted form and signs in.
        var cookies = new System.Net.CookieContainer();
        var onA = Browser(nodeA, cookies);
        var onB = Browser(nodeB, cookies);
        var token = AntiforgeryField().Match(await onA.GetStringAsync("/signin")).Groups[1].Value;
        var signedIn = await onB.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = "admin",
            ["Input.Password"] = TestApiKeys.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // The sign-in cookie B issued is valid on A, and on B.
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/domains")).StatusCode);

        // Without the cookie nothing is signed in (the check above is the cookie's, not an open endpoint's).
        Assert.Equal(HttpStatusCode.Unauthorized, (await nodeA.CreateAnonymousClient().GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task A_secret_protected_with_the_keys_folder_of_a_release_before_opens_on_every_node()
    {
        // What monitor secret protect (or a node of the release before, keys in its folder) encrypted.
        var oldFolder = Path.Combine(DataFolder, "keys-old");
        var folderKeys = new ServiceCollection();
        folderKeys.AddDataProtection().SetApplicationName(ProtectedSecret.ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(oldFolder));
        await using var folderProvider = folderKeys.BuildServiceProvider();
        var protectedValue = ProtectedSecret.Protect(folderProvider.GetRequiredService<IDataProtectionProvider>(), "smtp-password-1");
        var storedValue = StoredSecret.Seal(folderProvider.GetRequiredService<IDataProtectionProvider>(), "imap-password-2");

        var database = postgres.Server.ConnectionString("keyring-upgrade");
        await using (var upgraded = Node(database, "keys-old"))
        {
            var provider = upgraded.Services.GetRequiredService<IDataProtectionProvider>();
            Assert.Equal("smtp-password-1", ProtectedSecret.Reveal(provider, protectedValue));
            Assert.Equal("imap-password-2", StoredSecret.Open(provider, storedValue));
        }

        // A node that never had that folder reads the key from the database.
        await using var other = Node(database, "keys-new");
        var otherProvider = other.Services.GetRequiredService<IDataProtectionProvider>();
        Assert.Equal("smtp-password-1", ProtectedSecret.Reveal(otherProvider, protectedValue));
        Assert.Equal("imap-password-2", StoredSecret.Open(otherProvider, storedValue));
        Assert.False(Directory.Exists(Path.Combine(DataFolder, "keys-new")));
    }

    private MonitorApplication Node(string connectionString, string keysFolder)
    {
        var node = StartService(
            ("Storage:Provider", "Postgres"),
            ("Storage:ConnectionString", connectionString),
            ("Secrets:KeysFolder", Path.Combine(DataFolder, keysFolder)));
        _ = node.Server; // started now, so that both nodes run at once
        return node;
    }

    /// <summary>A browser on <paramref name="node"/> with <paramref name="cookies"/>: no API key, no redirect followed.</summary>
    private static HttpClient Browser(MonitorApplication node, System.Net.CookieContainer cookies)
    {
        var client = node.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        client.DefaultRequestHeaders.Remove(TestApiKeys.Header);
        return client;
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryField();
}
