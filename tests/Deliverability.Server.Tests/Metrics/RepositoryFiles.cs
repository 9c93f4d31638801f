namespace Deliverability.Server.Tests.Metrics;

/// <summary>Files of the repository (dashboards, docker-compose.yml, the Dockerfile) found from the test's build output.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Monitor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("Monitor.sln not found above " + AppContext.BaseDirectory);
    }
}
