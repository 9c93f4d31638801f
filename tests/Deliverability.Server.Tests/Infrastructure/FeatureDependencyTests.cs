namespace Deliverability.Server.Tests.Infrastructure;

/// <summary>
/// The server's feature folders depend on each other in one direction only: each may use Infrastructure, the shared
/// widgets and the features listed for it, never one that uses it. <see cref="FeatureGraph"/> reads the compiled types.
/// </summary>
public sealed class FeatureDependencyTests
{
    private static readonly string[] Base = ["Infrastructure", "Components.Shared"];

    /// <summary>What each folder may use. A new folder must be added here; the list itself must have no cycle.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Infrastructure"] = [],
        ["Components.Shared"] = [],
        ["Auth"] = Base,
        // The domain page shows the DMARC policy readiness beside the audit's DMARC check.
        ["Domains"] = [.. Base, "Auth", "DmarcReports"],
        ["Blacklists"] = [.. Base, "Auth"],
        ["Placement"] = [.. Base, "Auth"],
        ["Alerts"] = [.. Base, "Auth"],
        ["LoadTests"] = [.. Base, "Auth"],
        // The capacity plan reads each send path's capacity from the load tests' read model.
        ["Forecasts"] = [.. Base, "Auth", "LoadTests"],
        ["Overview"] = [.. Base, "Auth", "Domains", "Blacklists", "Placement", "Alerts", "LoadTests", "Forecasts", "SendEvents"],
        // The settings API saves through Core's catalogs, which Placement and Alerts register: no type of theirs is used.
        // Sending domains are checked by the same rules (MonitoredDomainRules) as the configured ones at start-up.
        ["Settings"] = [.. Base, "Auth", "Domains"],
        // The metrics out (Prometheus, InfluxDB): /metrics is for Viewers or the scrape token.
        ["Metrics"] = [.. Base, "Auth"],
        // Checks of a campaign message before it goes out (Operator).
        ["MessageChecks"] = [.. Base, "Auth"],
        // DMARC and TLS-RPT reports: mailboxes, uploads, analysis, readiness and the page.
        ["DmarcReports"] = [.. Base, "Auth"],
        // Send-event webhooks and recipient erasure (Admin); the Sending rules expect a stream's volume from its stored forecast.
        ["SendEvents"] = [.. Base, "Auth", "Forecasts"],
        // Live push across nodes relays the features' live feeds and puts their SignalR hubs (Alerts, LoadTests) on Redis.
        ["LivePush"] = [.. Base, "Alerts", "LoadTests", "Forecasts", "SendEvents"],
        // The shell (App, Routes, layout): it holds the domain list of the left column and every page's route.
        ["Components"] = [.. Base, "Auth", "Domains", "Blacklists", "Placement", "Alerts", "LoadTests", "Forecasts", "Overview"],
    };

    private static readonly IReadOnlyList<FeatureReference> References = FeatureGraph.References(typeof(Program));

    [Fact]
    public void Feature_folders_have_no_dependency_cycle()
    {
        var cycles = FeatureGraph.Cycles(References.Select(r => (r.From, r.To)));

        Assert.True(cycles.Count == 0, "Feature folders that depend on each other:\n" + string.Join("\n", cycles.Select(cycle =>
            string.Join(" -> ", cycle) + "\n    " + string.Join("\n    ", cycle.Zip(cycle.Skip(1)).Select(step => References.First(r => r.From == step.First && r.To == step.Second))))));
    }

    [Fact]
    public void Each_feature_folder_uses_only_the_folders_it_may()
    {
        Assert.Empty(FeatureGraph.Cycles(Allowed.SelectMany(a => a.Value.Select(to => (a.Key, to)))));
        var unknown = References.Select(r => r.From).Concat(References.Select(r => r.To)).Distinct().Where(f => !Allowed.ContainsKey(f));
        Assert.Empty(unknown);

        var forbidden = References.Where(r => !Allowed[r.From].Contains(r.To)).Select(r => r.ToString()).Distinct().ToList();
        Assert.True(forbidden.Count == 0, "References the dependency list does not allow:\n" + string.Join("\n", forbidden));
    }

    [Fact]
    public void The_scan_sees_references_made_only_in_method_bodies_and_in_markup()
    {
        var edges = References.Select(r => (r.From, r.To)).ToHashSet();

        // AlertsRegistration calls AuditSchedule.TryParse in a method body only; MainLayout renders <DomainRail />.
        Assert.Contains(("Alerts", "Infrastructure"), edges);
        Assert.Contains(("Components", "Domains"), edges);
        Assert.Contains(("Overview", "Alerts"), edges);
    }
}
