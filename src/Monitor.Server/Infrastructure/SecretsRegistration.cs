using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Monitor.Core.Placement;
using Monitor.Core.Secrets;

namespace Monitor.Server.Infrastructure;

public static class SecretsRegistration
{
    /// <summary>
    /// ASP.NET Core Data Protection with its keys in <c>Secrets:KeysFolder</c> (the CLI's <c>monitor secret protect</c>
    /// uses the same application name and folder), and the decryption of <c>protected:</c> passwords of the placement
    /// section before it is validated. A value that cannot be decrypted stops start-up naming its key.
    /// </summary>
    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ImplementationType == typeof(RevealPlacementSecrets)))
        {
            return builder; // several features need it; registered once
        }

        var secrets = builder.Configuration.GetSection(SecretsOptions.SectionName).Get<SecretsOptions>() ?? new SecretsOptions();
        builder.Services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.SectionName);
        builder.Services.AddDataProtection()
            .SetApplicationName(ProtectedSecret.ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(secrets.EffectiveKeysFolder(builder.Environment.ContentRootPath)));
        builder.Services.AddSingleton<IPostConfigureOptions<PlacementOptions>, RevealPlacementSecrets>();
        return builder;
    }

    /// <summary>Leaves a value it cannot decrypt as it is: the validator reports it, naming the key.</summary>
    private sealed class RevealPlacementSecrets(IDataProtectionProvider provider) : IPostConfigureOptions<PlacementOptions>
    {
        public void PostConfigure(string? name, PlacementOptions options) => ProtectedSecret.RevealAll(provider, PlacementSecrets.Of(options));
    }
}
