using Microsoft.AspNetCore.DataProtection;
using Deliverability.Core.Configuration;
using Deliverability.Core.Secrets;

namespace Deliverability.Server.Infrastructure;

internal static class SecretsRegistration
{
    /// <summary>
    /// ASP.NET Core Data Protection with its keys in <c>Secrets:KeysFolder</c> (the CLI's <c>monitor secret protect</c>
    /// uses the same application name and folder): placement passwords written <c>protected:</c> are decrypted with it,
    /// and the secrets of seeds, send paths and receivers added in the dashboard are stored encrypted with it.
    /// </summary>
    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        var secrets = ConfigurationBinding.Bind<SecretsOptions>(builder.Configuration.GetSection(SecretsOptions.SectionName), out _);
        builder.Services.AddOptions<SecretsOptions>().BindSection(SecretsOptions.SectionName).ValidateOnStart();
        builder.Services.AddDataProtection()
            .SetApplicationName(ProtectedSecret.ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(secrets.EffectiveKeysFolder(builder.Environment.ContentRootPath)));
        return builder;
    }
}
