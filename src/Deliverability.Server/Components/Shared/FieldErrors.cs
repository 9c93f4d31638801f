using Deliverability.Core.Configuration;

namespace Deliverability.Server.Components.Shared;

/// <summary>
/// The problems of the last save of a settings form, by field, shown next to each field (<c>Error</c> and
/// <c>ErrorText</c> of the MudBlazor input). A list field's item problems (<c>Email:To:2</c>) show on the list field.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.OrdinalIgnoreCase);

    public bool Any => _byField.Count > 0;

    public void Show(IEnumerable<FieldProblem> problems)
    {
        _byField.Clear();
        foreach (var problem in problems)
        {
            var field = ListField(problem.Field);
            if (!_byField.TryGetValue(field, out var messages))
            {
                _byField[field] = messages = [];
            }

            messages.Add(problem.Message);
        }
    }

    public void Clear() => _byField.Clear();

    public bool Has(string field) => _byField.ContainsKey(field);

    /// <summary>The messages of <paramref name="field"/>, or null.</summary>
    public string? For(string field) => _byField.TryGetValue(field, out var messages) ? string.Join(" ", messages.Select(Sentence)) : null;

    /// <summary>The messages that match no field of the form (shown above its buttons).</summary>
    public IEnumerable<string> Others(IEnumerable<string> fields)
    {
        var known = fields.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return _byField.Where(f => !known.Contains(f.Key)).SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}"));
    }

    // "Folders:Other:3" and "Email:To:0" are items of one text field.
    private static string ListField(string field)
    {
        var last = field.LastIndexOf(':');
        return last > 0 && field[(last + 1)..].All(char.IsAsciiDigit) ? field[..last] : field;
    }

    private static string Sentence(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? "" : ".");
}
