using Deliverability.Load;
using Deliverability.LoadScenarios.Definitions;

namespace Deliverability.LoadScenarios;

/// <summary>Reads scenario files (<c>loadtests/*.json</c>) into validated <see cref="LoadTestDefinition"/>s.</summary>
public static class LoadTestDefinitions
{
    /// <summary>The largest scenario file read.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The highest rate per second a definition may ask for.</summary>
    public const double MaxRate = 100_000;

    /// <summary>
    /// Parses and validates a scenario file's text; <paramref name="baseDirectory"/> resolves relative paths (body
    /// files, profile CSVs; the current directory when null). Throws <see cref="LoadConfigurationException"/> with a
    /// one-line message naming every problem by its field (<c>smtp.port: must be 1 to 65535 (was 0)</c>).
    /// </summary>
    public static LoadTestDefinition Parse(string json, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxFileBytes)
        {
            throw new LoadConfigurationException("the scenario file is larger than 1 MiB");
        }

        return ScenarioFileReader.Read(json, baseDirectory);
    }

    /// <summary>
    /// <see cref="Parse"/> of the file at <paramref name="path"/>, relative paths resolved from its folder. Refuses a
    /// missing or unreadable file and one larger than 1 MiB with <see cref="LoadConfigurationException"/>.
    /// </summary>
    public static LoadTestDefinition Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new LoadConfigurationException($"{LoadText.Shorten(path)}: no such file");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new LoadConfigurationException($"{LoadText.Shorten(path)}: the scenario file is larger than 1 MiB");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new LoadConfigurationException($"{LoadText.Shorten(path)}: cannot be read ({e.GetType().Name})");
        }

        try
        {
            return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)));
        }
        catch (LoadConfigurationException e)
        {
            throw new LoadConfigurationException($"{Path.GetFileName(path)}: {e.Message}");
        }
    }

    /// <summary>
    /// Checks a definition built in code (as the command line does) with the rules a file obeys; throws
    /// <see cref="LoadConfigurationException"/> with every problem.
    /// </summary>
    public static LoadTestDefinition Validate(LoadTestDefinition definition) =>
        DefinitionRules.Validate(definition);

    /// <summary>1-64 of a-z, 0-9, '.', '_', '-'.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>A plain <c>local@domain</c> address (no display name, no brackets, no spaces or controls).</summary>
    public static bool IsValidAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return address.Length <= 254 && at > 0 && at < address.Length - 1 && address.IndexOf('@') == at
            && address.All(c => c > ' ' && c < '\u007f' && c is not ('<' or '>' or '(' or ')' or ',' or ';' or '"' or '\\'))
            && !address[(at + 1)..].StartsWith('.') && !address.EndsWith('.');
    }

    /// <summary>An environment variable name: a letter or '_', then letters, digits or '_'.</summary>
    public static bool IsValidEnvironmentVariable(string name) =>
        name.Length is > 0 and <= 128 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The hard bound of a run when the definition gives none: its load (or every search step) and a margin.</summary>
    public static TimeSpan DefaultMaxDuration(LoadTestDefinition definition)
    {
        var margin = TimeSpan.FromSeconds(30);
        var bound = definition.Capacity is { } capacity
            ? (capacity.StepDuration + definition.Load.WarmUp + TimeSpan.FromSeconds(10)) * capacity.MaxSteps
            : definition.Load.WarmUp + definition.Load.SimulatedDuration + margin;
        return bound > ScenarioFileReader.MaxRunDuration ? ScenarioFileReader.MaxRunDuration : bound;
    }
}
