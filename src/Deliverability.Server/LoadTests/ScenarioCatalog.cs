using Microsoft.Extensions.Options;
using Deliverability.LoadScenarios;

namespace Deliverability.Server.LoadTests;

/// <summary>A scenario file of the scenario folder: its definition, or the one-line reason it cannot be used.</summary>
public sealed record StoredScenario(string File, LoadTestDefinition? Definition, string? Problem)
{
    /// <summary>The scenario's name; the file's name without <c>.json</c> when it cannot be read.</summary>
    public string Name => Definition?.Name ?? Path.GetFileNameWithoutExtension(File);

    public StoredScenarioDto ToDto() => new(
        File,
        Definition?.Name,
        Definition?.Kind.ToString().ToLowerInvariant(),
        Definition?.SendPath,
        Definition?.Capacity is not null,
        Definition?.Thresholds ?? [],
        Definition?.MaxDuration.TotalSeconds,
        Definition?.MaxMessages,
        Problem);
}

/// <summary>
/// The stored scenarios: the <c>*.json</c> files of <c>Monitor:LoadTests:ScenarioFolder</c>, read at each request (an
/// operator may drop a file in without a restart). A file that cannot be read is listed with its problem; it never
/// stops the others.
/// </summary>
public sealed class ScenarioCatalog(IOptionsMonitor<LoadTestOptions> options, IHostEnvironment environment)
{
    /// <summary>At most this many files are read (sorted by name).</summary>
    public const int MaxFiles = 200;

    public string Folder => options.CurrentValue.ScenarioFolderPath(environment.ContentRootPath);

    public IReadOnlyList<StoredScenario> List()
    {
        var folder = Folder;
        if (!Directory.Exists(folder))
        {
            return [];
        }

        string[] files;
        try
        {
            files = [.. Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).Take(MaxFiles)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var scenarios = new List<StoredScenario>(files.Length);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var scenario = Read(path);
            if (scenario.Definition is { } definition && !names.TryAdd(definition.Name, scenario.File))
            {
                scenario = scenario with { Definition = null, Problem = $"name: '{definition.Name}' is also the name of {names[definition.Name]}, which is used" };
            }

            scenarios.Add(scenario);
        }

        return scenarios;
    }

    /// <summary>The scenario named <paramref name="name"/> (or, for a file that cannot be read, whose file has that name), or null.</summary>
    public StoredScenario? Find(string name) => List().FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    private static StoredScenario Read(string path)
    {
        var file = Path.GetFileName(path);
        try
        {
            return new StoredScenario(file, LoadTestDefinitions.Load(path), null);
        }
#pragma warning disable CA1031 // A bad file is listed with its problem, whatever the problem: it must not hide the others.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new StoredScenario(file, null, OneLine(ex.Message));
        }
    }

    private static string OneLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
