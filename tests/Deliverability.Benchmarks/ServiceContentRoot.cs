namespace Deliverability.Benchmarks;

/// <summary>Points WebApplicationFactory at the service's folder (in a test project an attribute it adds there does it).</summary>
internal static class ServiceContentRoot
{
    public static void Use() =>
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_DELIVERABILITY_SERVER", Path.Combine(RepositoryRoot(), "src", "Deliverability.Server"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above " + AppContext.BaseDirectory);
    }
}
