namespace Deliverability.Core.Configuration;

/// <summary>
/// Where a setting comes from: configuration (read-only in the dashboard: change the file or the environment) or the
/// dashboard (stored in the database, editable and removable there).
/// </summary>
public enum SettingOrigin
{
    Configuration,
    Dashboard,
}

/// <summary>The outcome of saving a setting from the dashboard: saved, or the problems by field (nothing stored).</summary>
public sealed record SettingSave(IReadOnlyList<FieldProblem> Problems)
{
    public static SettingSave Saved { get; } = new([]);

    public bool IsSaved => Problems.Count == 0;

    public static SettingSave Refused(string field, string message) => new([new FieldProblem(field, message)]);

    /// <summary>The refusal for a candidate with these problems (a clash with another item listed first); null when it may be stored.</summary>
    public static SettingSave? RefusalFor(FieldProblem? duplicate, IEnumerable<FieldProblem> problems) => RefusalFor(duplicate, [], problems);

    /// <summary>
    /// As <see cref="RefusalFor(FieldProblem?, IEnumerable{FieldProblem})"/>, with the fields that are too long
    /// (<see cref="TextLimits"/>): their other problems are left out, as those would quote the over-long value.
    /// </summary>
    public static SettingSave? RefusalFor(FieldProblem? duplicate, IEnumerable<FieldProblem> tooLong, IEnumerable<FieldProblem> problems)
    {
        var longFields = tooLong.ToList();
        var skipped = longFields.Select(p => p.Field).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var all = new List<FieldProblem>();
        if (duplicate is not null && !skipped.Contains(duplicate.Field))
        {
            all.Add(duplicate);
        }

        all.AddRange(longFields);
        all.AddRange(problems.Where(p => !skipped.Contains(p.Field)));
        return all.Count > 0 ? new SettingSave(all) : null;
    }
}
