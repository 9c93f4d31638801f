using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Deliverability.Core.Configuration;

/// <summary>
/// Binds a configuration section to an options class the way <see cref="ConfigurationBinder"/> does, except that a value
/// that does not convert (<c>"Timeout": "ten minutes"</c>) does not stop at the first one with a raw conversion error:
/// every such value is left at its default and reported in plain words naming its key, so the validators can report
/// the other problems of the same start-up too.
/// </summary>
public static class ConfigurationBinding
{
    private const int MaxDepth = 32;

    /// <summary>A new <typeparamref name="T"/> bound from <paramref name="section"/>; <paramref name="problems"/> lists the values that did not convert.</summary>
    public static T Bind<T>(IConfigurationSection section, out IReadOnlyList<string> problems)
        where T : new()
    {
        var options = new T();
        problems = BindInto(section, options);
        return options;
    }

    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>; returns the values that did not convert (left as they were).</summary>
    public static IReadOnlyList<string> BindInto(IConfigurationSection section, object options)
    {
        var bad = new List<(string Key, string Problem)>();
        Inspect(section, options.GetType(), bad, 0);
        var problems = bad.Select(b => $"{b.Key}: {b.Problem}").ToList();
        try
        {
            Readable(section, bad.Select(b => b.Key).ToHashSet(StringComparer.OrdinalIgnoreCase)).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // A shape this inspection does not know; the binder's own message names the key.
            problems.Add(ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}");
        }

        return problems;
    }

    /// <summary>Every value under <paramref name="section"/> that does not convert to its property's type, in plain words naming its key.</summary>
    public static IReadOnlyList<string> Problems(IConfigurationSection section, Type optionsType) =>
        BindInto(section, Activator.CreateInstance(optionsType)!);

    /// <summary>The section without the values that do not convert, so that the binder keeps those properties' defaults.</summary>
    private static IConfiguration Readable(IConfigurationSection section, HashSet<string> badKeys)
    {
        if (badKeys.Count == 0)
        {
            return section;
        }

        var prefix = section.Path + ConfigurationPath.KeyDelimiter;
        var kept = section.AsEnumerable()
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !badKeys.Contains(pair.Key))
            .Select(pair => new KeyValuePair<string, string?>(pair.Key[prefix.Length..], pair.Value));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).Build();
    }

    private static void Inspect(IConfigurationSection section, Type type, List<(string Key, string Problem)> bad, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        var nullable = Nullable.GetUnderlyingType(type);
        var target = nullable ?? type;
        if (IsScalar(target))
        {
            if (section.Value is { } value && !(nullable is not null && value.Length == 0) && Problem(value, target) is { } problem)
            {
                bad.Add((section.Path, problem));
            }

            return;
        }

        if (ElementType(target) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                Inspect(child, element, bad, depth + 1);
            }

            return;
        }

        foreach (var child in section.GetChildren())
        {
            if (Property(target, child.Key) is { } property)
            {
                Inspect(child, property.PropertyType, bad, depth + 1);
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type == typeof(string) || type == typeof(object) || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    /// <summary>The item type of an array, list, set or dictionary (its values); null for other types.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type) || type == typeof(string))
        {
            return null;
        }

        var interfaces = type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces();
        var dictionary = interfaces.FirstOrDefault(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }

        return interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static PropertyInfo? Property(Type type, string key) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
            p.GetIndexParameters().Length == 0
            && string.Equals(p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why <paramref name="value"/> is not a <paramref name="type"/>, in the words of someone editing a settings file; null when it converts.</summary>
    private static string? Problem(string value, Type type)
    {
        if (type == typeof(string) || type == typeof(object))
        {
            return null;
        }

        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException or InvalidCastException)
        {
            // A URL may carry a secret (a webhook's token): it is named, never quoted.
            return type == typeof(Uri) ? "is not a URL"
                : Expected(type) is { } expected ? $"{Quote(value)} is not {expected}"
                : $"{Quote(value)} cannot be read as {type.Name}";
        }
    }

    private static string? Expected(Type type)
    {
        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64
                => $"a whole number from {Bound(type, "MinValue")} to {Bound(type, "MaxValue")}",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number (with '.' as the decimal point, e.g. 1.5)",
            TypeCode.DateTime => "a date and time (e.g. 2025-11-28T00:00:00Z)",
            _ when type == typeof(TimeSpan) => "a duration (use hh:mm:ss, e.g. 00:10:00)",
            _ when type == typeof(DateTimeOffset) => "a date and time (e.g. 2025-11-28T00:00:00Z)",
            _ when type == typeof(Guid) => "a GUID",
            _ => null,
        };
    }

    private static string Quote(string value) => value.Length <= 80 ? $"'{value}'" : $"'{value[..80]}...'";

    private static string Bound(Type type, string field) =>
        Convert.ToString(type.GetField(field, BindingFlags.Public | BindingFlags.Static)!.GetValue(null), CultureInfo.InvariantCulture)!;
}
