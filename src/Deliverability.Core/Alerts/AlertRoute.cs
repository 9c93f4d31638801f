using System.Text;

namespace Deliverability.Core.Alerts;

/// <summary>
/// One node of the compiled route tree, with inherited values resolved. An alert goes down the tree: the first child
/// whose matchers match takes it (and the next siblings too when that child has <c>Continue</c>); a node no child
/// takes is where the alert is grouped.
/// </summary>
public sealed class AlertRoute
{
    public const string GroupByAll = "...";

    private AlertRoute(string path, IReadOnlyList<AlertMatcher> matchers, IReadOnlyList<string> receivers, IReadOnlyList<string> groupBy,
        TimeSpan groupWait, TimeSpan groupInterval, TimeSpan repeatInterval, bool sendResolved, bool @continue)
    {
        Path = path;
        Matchers = matchers;
        Receivers = receivers;
        GroupBy = groupBy;
        GroupWait = groupWait;
        GroupInterval = groupInterval;
        RepeatInterval = repeatInterval;
        SendResolved = sendResolved;
        Continue = @continue;
    }

    /// <summary>The position in the tree (<c>root</c>, <c>root/0</c>, <c>root/0/1</c>): part of the group key.</summary>
    public string Path { get; }

    public IReadOnlyList<AlertMatcher> Matchers { get; }

    /// <summary>Empty: every configured receiver.</summary>
    public IReadOnlyList<string> Receivers { get; }

    public IReadOnlyList<string> GroupBy { get; }

    public TimeSpan GroupWait { get; }

    public TimeSpan GroupInterval { get; }

    public TimeSpan RepeatInterval { get; }

    public bool SendResolved { get; }

    public bool Continue { get; }

    public IReadOnlyList<AlertRoute> Children { get; private set; } = [];

    /// <summary>Compiles the tree from validated options (matchers parse).</summary>
    public static AlertRoute Build(AlertRouteOptions root)
    {
        var node = new AlertRoute("root", [], root.Receivers, root.GroupBy ?? [AlertLabels.AlertName], root.GroupWait ?? TimeSpan.FromSeconds(30),
            root.GroupInterval ?? TimeSpan.FromMinutes(5), root.RepeatInterval ?? TimeSpan.FromHours(4), root.SendResolved ?? true, @continue: false);
        node.Children = BuildChildren(node, root.Routes);
        return node;
    }

    private static AlertRoute[] BuildChildren(AlertRoute parent, List<AlertRouteOptions> routes) =>
        routes.Select((child, i) =>
        {
            var node = new AlertRoute(
                $"{parent.Path}/{i}",
                AlertMatcher.ParseAll(child.Matchers),
                child.Receivers.Count > 0 ? child.Receivers : parent.Receivers,
                child.GroupBy ?? [.. parent.GroupBy],
                child.GroupWait ?? parent.GroupWait,
                child.GroupInterval ?? parent.GroupInterval,
                child.RepeatInterval ?? parent.RepeatInterval,
                child.SendResolved ?? parent.SendResolved,
                child.Continue);
            node.Children = BuildChildren(node, child.Routes);
            return node;
        }).ToArray();

    /// <summary>The nodes that take an alert with <paramref name="labels"/> (at least the root).</summary>
    public IReadOnlyList<AlertRoute> Match(IReadOnlyDictionary<string, string> labels)
    {
        var matches = new List<AlertRoute>();
        Match(labels, matches);
        return matches;
    }

    private void Match(IReadOnlyDictionary<string, string> labels, List<AlertRoute> matches)
    {
        var taken = false;
        foreach (var child in Children)
        {
            if (!AlertMatcher.MatchesAll(child.Matchers, labels))
            {
                continue;
            }

            child.Match(labels, matches);
            taken = true;
            if (!child.Continue)
            {
                break;
            }
        }

        if (!taken)
        {
            matches.Add(this);
        }
    }

    /// <summary>The labels of <paramref name="labels"/> that this route groups by.</summary>
    public SortedDictionary<string, string> GroupLabels(IReadOnlyDictionary<string, string> labels)
    {
        var group = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var all = GroupBy.Contains(GroupByAll);
        foreach (var (name, value) in labels)
        {
            if (all || GroupBy.Contains(name))
            {
                group[name] = value;
            }
        }

        return group;
    }

    /// <summary>Stable per route and group labels: <c>root/1:{alertname="CheckFailing"}</c>.</summary>
    public string GroupKey(IReadOnlyDictionary<string, string> groupLabels)
    {
        var key = new StringBuilder(Path).Append(":{");
        var first = true;
        foreach (var (name, value) in groupLabels)
        {
            key.Append(first ? "" : ",").Append(name).Append("=\"").Append(value.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            first = false;
        }

        return key.Append('}').ToString();
    }
}
