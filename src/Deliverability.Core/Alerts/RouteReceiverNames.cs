namespace Deliverability.Core.Alerts;

/// <summary>The receiver names a route tree uses, each with the key that names it (<c>Monitor:Alerts:Route:Routes:0:Receivers:1</c>).</summary>
public static class RouteReceiverNames
{
    public static IReadOnlyList<(string Key, string Name)> Of(AlertRouteOptions root)
    {
        var names = new List<(string, string)>();
        Walk(root, $"{AlertOptions.SectionName}:Route", names);
        return names;
    }

    private static void Walk(AlertRouteOptions route, string key, List<(string, string)> names)
    {
        for (var i = 0; i < route.Receivers.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(route.Receivers[i]))
            {
                names.Add(($"{key}:Receivers:{i}", route.Receivers[i].Trim()));
            }
        }

        for (var i = 0; i < route.Routes.Count; i++)
        {
            Walk(route.Routes[i], $"{key}:Routes:{i}", names);
        }
    }
}
