using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Deliverability.Server.Tests;

/// <summary><c>appsettings.example.json</c> at the repository root, and the keys an options class can be configured with.</summary>
internal static partial class ExampleSettings
{
    public static string Path { get; } = FindExample();

    public static string Text { get; } = File.ReadAllText(Path);

    public static IConfiguration Configuration { get; } = new ConfigurationBuilder().AddJsonFile(Path, optional: false).Build();

    /// <summary>Every key the example sets, without array indexes (<c>Monitor:Domains:Name</c>).</summary>
    public static HashSet<string> ListedKeys() =>
        Configuration.AsEnumerable().Select(pair => ArrayIndex().Replace(pair.Key, "")).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every configurable key of <paramref name="type"/> under <paramref name="prefix"/>; a type that contains itself is walked once.</summary>
    public static IEnumerable<string> Keys(string prefix, Type type, ImmutableStack<Type>? path = null)
    {
        path = (path ?? []).Push(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var item = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
            if (item.IsClass && item != typeof(string) && !path.Contains(item))
            {
                foreach (var nested in Keys(key, item, path))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    private static string FindExample()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, "appsettings.example.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("appsettings.example.json not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@":\d+")]
    private static partial Regex ArrayIndex();
}
