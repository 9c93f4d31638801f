namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>An alert in memory: its row with the labels and annotations parsed, and the groups it routes to.</summary>
internal sealed class LiveAlert(AlertRow row)
{
    public AlertRow Row { get; } = row;

    public IReadOnlyDictionary<string, string> Labels { get; set; } = AlertJson.Map(row.LabelsJson);

    public IReadOnlyDictionary<string, string> Annotations { get; set; } = AlertJson.Map(row.AnnotationsJson);

    /// <summary>The (route, group key, group labels) it belongs to; labels never change for a fingerprint, so computed once.</summary>
    public IReadOnlyList<(AlertRoute Route, string GroupKey, IReadOnlyDictionary<string, string> GroupLabels)>? Routes { get; set; }

    public bool IsNew { get; set; }

    public bool HasFired => Row.StartsAt is not null;
}

/// <summary>An aggregation group of one receiver in memory.</summary>
internal sealed class LiveGroup(AlertGroupRow row)
{
    public AlertGroupRow Row { get; } = row;

    public HashSet<string> NotifiedFiring { get; set; } = [.. AlertJson.List(row.NotifiedFiringJson)];

    public HashSet<string> NotifiedResolved { get; set; } = [.. AlertJson.List(row.NotifiedResolvedJson)];

    public IReadOnlyDictionary<string, string> GroupLabels { get; } = AlertJson.Map(row.GroupLabelsJson);

    public bool IsNew { get; set; }

    public bool Dirty { get; set; }

    public void SaveLog()
    {
        Row.NotifiedFiringJson = AlertJson.Write(NotifiedFiring.Order(StringComparer.Ordinal));
        Row.NotifiedResolvedJson = AlertJson.Write(NotifiedResolved.Order(StringComparer.Ordinal));
        Dirty = true;
    }
}
