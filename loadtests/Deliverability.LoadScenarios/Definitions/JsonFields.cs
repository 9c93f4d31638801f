using System.Globalization;
using System.Text.Json;

namespace Deliverability.LoadScenarios.Definitions;

/// <summary>
/// The fields of one JSON object of a scenario file, read by name with their path (<c>smtp.port</c>) in every problem.
/// Problems are collected, not thrown, so one reading names them all; fields nobody asked for are refused by
/// <see cref="RefuseUnknown"/>.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _element;
    private readonly string _path;
    private readonly List<string> _problems;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private JsonFields(JsonElement element, string path, List<string> problems)
    {
        _element = element;
        _path = path;
        _problems = problems;
    }

    /// <summary>The object at the root, or null (and a problem) when <paramref name="element"/> is not an object.</summary>
    public static JsonFields? Root(JsonElement element, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the scenario file must be a JSON object");
            return null;
        }

        return new JsonFields(element, "", problems);
    }

    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    public void Problem(string name, string message) => _problems.Add($"{PathOf(name)}: {message}");

    public bool Has(string name)
    {
        _known.Add(name);
        return _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
    }

    public JsonElement? Raw(string name)
    {
        _known.Add(name);
        return _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public JsonFields? Object(string name)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(name, "must be an object");
            return null;
        }

        return new JsonFields(value, PathOf(name), _problems);
    }

    public string? String(string name, int maxLength = 1024)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problem(name, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            Problem(name, $"longer than {maxLength} characters");
            return null;
        }

        return text;
    }

    public string? RequiredString(string name, int maxLength = 1024)
    {
        var text = String(name, maxLength);
        if (text is null && !Has(name))
        {
            Problem(name, "is required");
        }
        else if (text is { Length: 0 })
        {
            Problem(name, "must not be empty");
            return null;
        }

        return text;
    }

    public double? Number(string name, double min, double max, bool minExclusive = false)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Problem(name, "must be a number");
            return null;
        }

        if ((minExclusive ? number <= min : number < min) || number > max)
        {
            Problem(name, $"must be {(minExclusive ? "more than" : "at least")} {Format(min)} and at most {Format(max)} (was {Format(number)})");
            return null;
        }

        return number;
    }

    public long? Whole(string name, long min, long max)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Problem(name, "must be a whole number");
            return null;
        }

        if (number < min || number > max)
        {
            Problem(name, $"must be {min} to {max} (was {number})");
            return null;
        }

        return number;
    }

    public bool? Boolean(string name)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problem(name, "must be true or false");
            return null;
        }

        return value.GetBoolean();
    }

    public TimeSpan? Duration(string name, TimeSpan min, TimeSpan max)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problem(name, "must be a duration string (30s, 2m, 1h, 250ms or 00:01:00)");
            return null;
        }

        if (!LoadText.TryParseDuration(value.GetString(), out var duration, out var error))
        {
            Problem(name, error!);
            return null;
        }

        if (duration < min || duration > max)
        {
            Problem(name, $"must be from {LoadText.FormatDuration(min)} to {LoadText.FormatDuration(max)} (was {value.GetString()})");
            return null;
        }

        return duration;
    }

    public IReadOnlyList<string>? Strings(string name, int maxItems, int maxLength)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            Problem(name, "must be an array of strings");
            return null;
        }

        var items = value.EnumerateArray().Select(item => item.GetString()!).ToList();
        if (items.Count > maxItems)
        {
            Problem(name, $"has {items.Count} items; at most {maxItems}");
            return null;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Length > maxLength)
            {
                Problem($"{name}[{i}]", $"longer than {maxLength} characters");
                return null;
            }
        }

        return items;
    }

    /// <summary>A JSON object of string values, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? StringMap(string name, int maxItems, int maxLength)
    {
        if (Raw(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(item => item.Value.ValueKind != JsonValueKind.String))
        {
            Problem(name, "must be an object of string values");
            return null;
        }

        var items = value.EnumerateObject().Select(item => KeyValuePair.Create(item.Name, item.Value.GetString()!)).ToList();
        if (items.Count > maxItems || items.Any(item => item.Key.Length > maxLength || item.Value.Length > maxLength))
        {
            Problem(name, $"at most {maxItems} entries of at most {maxLength} characters");
            return null;
        }

        return items;
    }

    /// <summary>Every field not read is a problem: a misspelt field would otherwise be ignored silently.</summary>
    public void RefuseUnknown()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                _problems.Add($"{PathOf(LoadText.Shorten(property.Name))}: unknown field");
            }
        }
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
