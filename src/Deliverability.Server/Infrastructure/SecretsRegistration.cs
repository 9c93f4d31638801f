using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;
using Deliverability.Core.Secrets;
using Deliverability.Core.SignIn;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Infrastructure;

internal static class SecretsRegistration
{
    /// <summary>
    /// ASP.NET Core Data Protection (the CLI's <c>monitor secret protect</c> uses the same application name and keys
    /// folder): placement passwords written <c>protected:</c> are decrypted with it, the secrets of seeds, send paths and
    /// receivers added in the dashboard are stored encrypted with it, and it signs the sign-in cookie and antiforgery
    /// tokens. On SQLite (one node) the keys are in <c>Secrets:KeysFolder</c>; on PostgreSQL they are in the database,
    /// shared by every node, with the folder's keys copied in (<see cref="SharedKeyRing"/>).
    /// </summary>
    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        var secrets = ConfigurationBinding.Bind<SecretsOptions>(builder.Configuration.GetSection(SecretsOptions.SectionName), out _);
        var storage = ConfigurationBinding.Bind<StorageOptions>(builder.Configuration.GetSection(StorageOptions.SectionName), out _);
        builder.Services.AddOptions<SecretsOptions>().BindSection(SecretsOptions.SectionName).ValidateOnStart();
        var keysFolder = new DirectoryInfo(secrets.EffectiveKeysFolder(builder.Environment.ContentRootPath));
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ProtectedSecret.ApplicationName);
        if (storage.ParsedProvider != StorageProvider.Postgres)
        {
            dataProtection.PersistKeysToFileSystem(keysFolder);
            return builder;
        }

        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var database = new EntityFrameworkCoreXmlRepository<SignInDbContext>(sp, loggers);

            // Read only when it exists: a node that never had the folder must not make one.
            var folder = keysFolder.Exists ? new FileSystemXmlRepository(keysFolder, loggers) : null;
            options.XmlRepository = new SharedKeyRing(database, folder);
        }));
        return builder;
    }
}
