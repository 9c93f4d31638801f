using System.CommandLine;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Secrets;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor secret protect [--keys folder]</c>: reads a secret (a password) from standard input and prints it encrypted
/// with ASP.NET Core Data Protection as <c>protected:...</c>, a value the service and <c>monitor placement run</c>
/// decrypt with the same keys folder. Exit code 0, or 2 when no secret was given.
/// </summary>
public static class SecretCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var keys = KeysOption();
        var protect = new Command("protect", "Read a secret from standard input (one line) and print it encrypted as 'protected:...', "
            + "to paste into configuration instead of the plain password. The keys folder must be the one the service uses (Secrets:KeysFolder).");
        protect.Options.Add(keys);
        protect.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var secret = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r');
            if (string.IsNullOrEmpty(secret))
            {
                await stderr.WriteLineAsync("error: no secret on standard input (e.g. 'read -rs P && printf %s \"$P\" | monitor secret protect')");
                return MonitorCli.UsageError;
            }

            var folder = KeysFolder(parsed.GetValue(keys), Environment.CurrentDirectory);
            await stdout.WriteLineAsync(ProtectedSecret.Protect(Provider(folder), secret));
            return 0;
        });

        var command = new Command("secret", "Encrypt secrets for configuration (ASP.NET Core Data Protection).");
        command.Subcommands.Add(protect);
        return command;
    }

    /// <summary><c>--keys</c>: the data-protection keys folder; default the service's default (<c>~/.aspnet/DataProtection-Keys</c>).</summary>
    public static Option<string?> KeysOption() => new("--keys")
    {
        Description = "The data-protection keys folder (the service's Secrets:KeysFolder); default: ~/.aspnet/DataProtection-Keys",
    };

    public static string KeysFolder(string? folder, string baseFolder) => new SecretsOptions { KeysFolder = folder ?? "" }.EffectiveKeysFolder(baseFolder);

    /// <summary>The same application name and keys as the service, so either decrypts what the other encrypted.</summary>
    public static IDataProtectionProvider Provider(string keysFolder)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(ProtectedSecret.ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(keysFolder));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }
}
