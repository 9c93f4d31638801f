using System.Globalization;
using System.Text.RegularExpressions;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>One sample of the Prometheus text format: <c>name{label="value",...} 1.5</c>.</summary>
internal sealed partial record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public static IReadOnlyList<PrometheusSample> ParseAll(string text) =>
        [.. text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(Parse)];

    private static PrometheusSample Parse(string line)
    {
        var match = Sample().Match(line);
        Assert.True(match.Success, $"not a Prometheus sample: {line}");
        var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
        var value = match.Groups["value"].Value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var number => double.Parse(number, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s(?<value>\S+)(\s\d+)?$", RegexOptions.NonBacktracking)]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>[^""]*)""", RegexOptions.NonBacktracking)]
    private static partial Regex Label();
}
