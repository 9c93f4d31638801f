namespace Deliverability.LoadScenarios.Tests;

/// <summary>The repository's <c>loadtests</c> folder, found from the test's output folder.</summary>
internal static class ScenarioFiles
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Monitor.sln")))
            {
                return Path.Combine(directory.FullName, "loadtests");
            }
        }

        throw new InvalidOperationException("Monitor.sln not found above the test's output folder.");
    }
}
