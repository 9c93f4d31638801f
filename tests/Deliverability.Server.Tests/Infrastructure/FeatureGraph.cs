using System.Reflection;
using System.Reflection.Emit;

namespace Deliverability.Server.Tests.Infrastructure;

/// <summary>One use of a type of another feature folder: <see cref="User"/> refers to <see cref="Used"/>.</summary>
internal sealed record FeatureReference(string From, string To, Type User, Type Used)
{
    public override string ToString() => $"{From} -> {To} ({User.FullName} uses {Used.FullName})";
}

/// <summary>
/// Which feature folder of <c>Deliverability.Server</c> uses which: every type is read as compiled (base type, interfaces,
/// fields, properties, signatures, and the types and members its method bodies refer to, so a page's components and
/// a static call count too), and each type belongs to the folder its namespace names.
/// </summary>
internal static class FeatureGraph
{
    private const string Root = "Deliverability.Server.";

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every reference from one feature folder to another, in the assembly that holds <paramref name="anyType"/>.</summary>
    public static IReadOnlyList<FeatureReference> References(Type anyType)
    {
        var references = new List<FeatureReference>();
        foreach (var type in anyType.Assembly.GetTypes())
        {
            if (FeatureOf(type) is not { } from)
            {
                continue;
            }

            foreach (var used in UsedTypes(type).SelectMany(Expand).Distinct())
            {
                if (FeatureOf(used) is { } to && to != from)
                {
                    references.Add(new FeatureReference(from, to, type, used));
                }
            }
        }

        return references;
    }

    /// <summary>
    /// The folder a type belongs to: the first namespace segment under <c>Deliverability.Server</c> (<c>Components.Shared</c>, the
    /// widgets every feature may use, is a folder of its own); null for types outside the folders (the entry point).
    /// </summary>
    public static string? FeatureOf(Type type)
    {
        // Razor puts the type inference helpers of generic components in "__Blazor." + the page's namespace.
        var space = type.Namespace?.StartsWith("__Blazor.", StringComparison.Ordinal) == true ? type.Namespace["__Blazor.".Length..] : type.Namespace;
        if (space is null || !space.StartsWith(Root, StringComparison.Ordinal) || type.Assembly.GetName().Name != "Deliverability.Server")
        {
            return null;
        }

        var segments = space[Root.Length..].Split('.');
        return segments is ["Components", "Shared", ..] ? "Components.Shared" : segments[0];
    }

    /// <summary>The cycles among <paramref name="edges"/> (each as the folders on it, in order), found by depth-first search.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().Order(StringComparer.Ordinal).ToArray());
        var cycles = new List<IReadOnlyList<string>>();
        var done = new HashSet<string>();
        foreach (var start in next.Keys.Order(StringComparer.Ordinal))
        {
            Visit(start, []);
        }

        return cycles;

        void Visit(string node, List<string> path)
        {
            var at = path.IndexOf(node);
            if (at >= 0)
            {
                cycles.Add([.. path[at..], node]);
                return;
            }

            if (!done.Add(node))
            {
                return;
            }

            path.Add(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                Visit(to, path);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return contract;
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            yield return attribute.AttributeType;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo { ReturnType: var returned })
            {
                yield return returned;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var used in BodyReferences(method))
            {
                yield return used;
            }
        }
    }

    /// <summary>The types that the IL of <paramref name="method"/> names: in type tokens, and as the owners, types and generic arguments of the members it calls or reads.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                switch (member)
                {
                    case Type used:
                        yield return used;
                        break;
                    case MethodInfo called:
                        yield return called.DeclaringType!;
                        yield return called.ReturnType;
                        foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                        {
                            yield return argument;
                        }

                        break;
                    case MemberInfo other:
                        yield return other.DeclaringType!;
                        if (other is FieldInfo field)
                        {
                            yield return field.FieldType;
                        }

                        break;
                }
            }

            at += OperandSize(code.OperandType, il, at);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    /// <summary>A type with the types it is made of: generic arguments, array elements, by-ref targets.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }
}
