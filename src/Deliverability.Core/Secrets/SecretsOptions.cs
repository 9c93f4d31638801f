namespace Deliverability.Core.Secrets;

/// <summary>
/// <c>Secrets</c>: where the ASP.NET Core Data Protection keys live that encrypt secrets in configuration (values written
/// <c>protected:...</c> by <c>monitor secret protect</c>). The service and the CLI must use the same folder.
/// </summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>Empty: <c>~/.aspnet/DataProtection-Keys</c> of the user running the process (the framework's default on Linux).</summary>
    public string KeysFolder { get; set; } = "";

    /// <summary>The folder to use: <see cref="KeysFolder"/> resolved against <paramref name="baseFolder"/>, or the default.</summary>
    public string EffectiveKeysFolder(string baseFolder) => string.IsNullOrWhiteSpace(KeysFolder)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspnet", "DataProtection-Keys")
        : Path.GetFullPath(KeysFolder, baseFolder);
}
