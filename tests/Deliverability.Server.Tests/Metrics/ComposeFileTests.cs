using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Server.Domains;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.LivePush;
using Deliverability.Server.Metrics;
using YamlDotNet.RepresentationModel;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>
/// <c>docker-compose.yml</c>, its files under <c>deploy/</c> and the server's <c>Dockerfile</c>, read as files: docker is
/// not installed here, so nothing is built or run. What is checked is that the stack is complete and its parts point
/// at each other and at files that exist.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = LoadYaml(RepositoryFiles.PathOf("docker-compose.yml"));
    private static readonly YamlMappingNode Services = (YamlMappingNode)Compose["services"];

    [Fact]
    public void The_stack_has_two_service_nodes_behind_a_proxy_with_postgres_redis_prometheus_influxdb_and_grafana()
    {
        var names = Services.Children.Keys.Select(k => k.ToString()).ToHashSet();

        Assert.Superset(new HashSet<string> { "monitor-a", "monitor-b", "proxy", "postgres", "redis", "prometheus", "influxdb", "grafana" }, names);
        Assert.StartsWith("nginx", Scalar(Service("proxy"), "image"), StringComparison.Ordinal);
        Assert.Equal(Scalar(Service("monitor-a"), "image"), Scalar(Service("monitor-b"), "image"));
        var build = (YamlMappingNode)Service("monitor-a")["build"];
        Assert.Equal(".", Scalar(build, "context"));
        Assert.True(File.Exists(RepositoryFiles.PathOf(Scalar(build, "dockerfile").Split('/'))), "the Dockerfile named by docker-compose.yml exists");
    }

    [Fact]
    public void Both_nodes_share_postgres_with_their_own_instance_id_and_export_metrics_with_their_own_node_tag()
    {
        foreach (var node in new[] { "monitor-a", "monitor-b" })
        {
            var environment = Effective((YamlMappingNode)Service(node)["environment"]);
            Assert.Equal("Postgres", environment["Storage__Provider"]);
            Assert.Contains("Host=postgres", environment["Storage__ConnectionString"], StringComparison.Ordinal);
            Assert.Contains("${MONITOR_SCRAPE_TOKEN", environment["Monitor__Metrics__ScrapeToken"], StringComparison.Ordinal);
            Assert.Equal(node, environment["Monitor__Influx__Tags__node"]);
            Assert.Equal(node, environment["Cluster__InstanceId"]); // unique in the clustered job store
            var dependsOn = Effective(Service(node))["depends_on"];
            Assert.Contains("postgres", dependsOn, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_nodes_run_with_the_stacks_own_settings_not_the_example()
    {
        var mounts = Effective(Service("monitor-a"), "volumes").Concat(Effective(Service("monitor-b"), "volumes")).ToList();
        var settingsMounts = mounts.Where(m => m.Contains("appsettings", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(settingsMounts);
        Assert.All(settingsMounts, m => Assert.DoesNotContain("appsettings.example.json", m, StringComparison.Ordinal));
        Assert.All(settingsMounts, m => Assert.Contains(":/app/appsettings.Production.json", m, StringComparison.Ordinal));

        var file = RepositoryFiles.PathOf(settingsMounts[0].Split(':')[0].TrimStart('.', '/').Split('/'));
        var text = File.ReadAllText(file);
        var settings = new ConfigurationBuilder().AddJsonFile(file).Build();
        // No demo domains, receivers or public resolver: DNS comes from the container's resolver unless set.
        Assert.Empty(settings.GetSection("Monitor:Domains").GetChildren());
        Assert.Empty(settings.GetSection("Monitor:Alerts:Receivers").GetChildren());
        Assert.DoesNotContain("9.9.9.9", text, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", text, StringComparison.Ordinal);
        Assert.Equal("Postgres", settings["Storage:Provider"]);
        Assert.Empty(new DnsOptionsValidator().Validate(null, settings.GetSection(DnsOptions.SectionName).Get<DnsOptions>()!).Failures ?? []);
        var monitor = settings.GetSection(MonitorOptions.SectionName).Get<MonitorOptions>()!;
        Assert.Empty(new MonitorOptionsValidator().Validate(null, monitor).Failures ?? []);
        // With the token the compose file gives from .env, the InfluxDB export's settings hold.
        var influx = settings.GetSection(InfluxOptions.SectionName).Get<InfluxOptions>()!;
        influx.Token = "from-the-environment";
        Assert.Empty(new InfluxOptionsValidator().Validate(null, influx).Failures ?? []);
        // Both nodes push their live events to each other through the stack's Redis service.
        var livePush = settings.GetSection(LivePushOptions.SectionName).Get<LivePushOptions>()!;
        Assert.Equal("redis:6379", livePush.Redis);
        Assert.Empty(new LivePushOptionsValidator().Validate(null, livePush).Failures ?? []);
    }

    [Fact]
    public void Every_file_the_stack_mounts_exists_and_every_variable_it_needs_is_in_the_example_env()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf("docker-compose.yml"));
        foreach (var service in Services.Children.Keys.Select(k => k.ToString()))
        {
            foreach (var mount in Effective(Service(service), "volumes").Where(m => m.StartsWith("./", StringComparison.Ordinal)))
            {
                var path = RepositoryFiles.PathOf(mount.Split(':')[0][2..].Split('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{service} mounts {mount}, which does not exist");
            }
        }

        var example = File.ReadAllLines(RepositoryFiles.PathOf("deploy", "example.env"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .ToDictionary(l => l.Split('=', 2)[0], l => l.Split('=', 2)[1]);
        var needed = Variable().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(needed);
        Assert.All(needed, name => Assert.True(example.ContainsKey(name), $"{name} is used by docker-compose.yml but not in deploy/example.env"));
        Assert.True(example["MONITOR_SCRAPE_TOKEN"].Length >= MetricsOptionsValidator.MinTokenLength);
    }

    [Fact]
    public void The_proxy_balances_both_nodes_sticky_with_websockets()
    {
        var config = File.ReadAllText(RepositoryFiles.PathOf("deploy", "nginx.conf"));

        Assert.Contains("server monitor-a:8080", config, StringComparison.Ordinal);
        Assert.Contains("server monitor-b:8080", config, StringComparison.Ordinal);
        Assert.Contains("ip_hash;", config, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", config, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto", config, StringComparison.Ordinal);
        Assert.Equal(Regex.Matches(config, "\\{").Count, Regex.Matches(config, "\\}").Count);
    }

    [Fact]
    public async Task Prometheus_scrapes_both_nodes_with_the_token_and_its_config_passes_promtool()
    {
        var config = LoadYaml(RepositoryFiles.PathOf("deploy", "prometheus.yml"));
        var job = (YamlMappingNode)((YamlSequenceNode)config["scrape_configs"])[0];
        Assert.Equal(MetricsRegistration.ScrapePath, Scalar(job, "metrics_path"));
        var targets = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job["static_configs"])[0])["targets"]).Select(t => t.ToString()).ToList();
        Assert.Equal(["monitor-a:8080", "monitor-b:8080"], targets);
        var secretFile = Scalar((YamlMappingNode)job["authorization"], "credentials_file");
        Assert.Equal("/run/secrets/scrape_token", secretFile);
        Assert.Contains("scrape_token", Effective(Service("prometheus"), "secrets"));

        // promtool wants the token file to exist: point the copy checked here at a temporary one.
        var folder = Directory.CreateTempSubdirectory("monitor-compose-prometheus-");
        try
        {
            var token = Path.Combine(folder.FullName, "scrape_token");
            await File.WriteAllTextAsync(token, "a-token-for-the-check-0123456789");
            var copy = Path.Combine(folder.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy", "prometheus.yml"))).Replace(secretFile, token, StringComparison.Ordinal));
            var (exit, output) = await RunAsync("/usr/bin/promtool", "check", "config", copy);
            Assert.True(exit == 0, output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Grafana_is_provisioned_with_both_data_sources_the_dashboards_use()
    {
        var mounts = Effective(Service("grafana"), "volumes");
        Assert.Contains("./dashboards/provisioning:/etc/grafana/provisioning:ro", mounts);
        Assert.Contains("./dashboards:/var/lib/grafana/dashboards:ro", mounts);
        var provider = LoadYaml(RepositoryFiles.PathOf("dashboards", "provisioning", "dashboards", "monitor.yml"));
        Assert.Equal("/var/lib/grafana/dashboards", Scalar((YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)provider["providers"])[0])["options"], "path"));

        var uids = Directory.GetFiles(RepositoryFiles.PathOf("dashboards", "provisioning", "datasources"), "*.yml")
            .SelectMany(file => (YamlSequenceNode)LoadYaml(file)["datasources"])
            .Select(source => Scalar((YamlMappingNode)source, "uid"))
            .ToHashSet();
        var used = Directory.GetFiles(RepositoryFiles.PathOf("dashboards"), "*.json")
            .SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("panels").EnumerateArray())
            .Select(panel => panel.GetProperty("datasource").GetProperty("uid").GetString()!)
            .ToHashSet();
        Assert.Equal(["monitor-influxdb", "monitor-prometheus"], used.Order());
        Assert.Superset(used, uids);
    }

    [Fact]
    public void The_dockerfile_builds_the_server_from_the_repository_and_copies_only_files_that_exist()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("src", "Deliverability.Server", "Dockerfile"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var from = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, from.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", from[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", from[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish src/Deliverability.Server ", StringComparison.Ordinal));
        Assert.True(Directory.Exists(RepositoryFiles.PathOf("src", "Deliverability.Server")));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Deliverability.Server.dll\"]", lines);
        Assert.Contains("EXPOSE 8080", lines);
        Assert.Contains("USER $APP_UID", lines);
        foreach (var copy in lines.Where(l => l.StartsWith("COPY --from=build /source/", StringComparison.Ordinal)))
        {
            var source = copy.Split(' ')[2]["/source/".Length..];
            var matches = source.Contains('*', StringComparison.Ordinal)
                ? Directory.GetFiles(RepositoryFiles.PathOf(Path.GetDirectoryName(source)!.Split('/')), Path.GetFileName(source)).Length > 0
                : File.Exists(RepositoryFiles.PathOf(source.Split('/'))) || Directory.Exists(RepositoryFiles.PathOf(source.Split('/')));
            Assert.True(matches, $"{copy}: nothing in the repository at {source}");
        }

        var ignored = File.ReadAllLines(RepositoryFiles.PathOf(".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".env", ignored);
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)Entries(node)[key]).Value!;

    /// <summary>A mapping with its YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied: its own entries win.</summary>
    private static Dictionary<string, string> Effective(YamlMappingNode node) =>
        Entries(node).ToDictionary(e => e.Key, e => e.Value is YamlScalarNode scalar ? scalar.Value ?? "" : string.Join(",", Flatten(e.Value)));

    private static IReadOnlyList<string> Effective(YamlMappingNode node, string key) =>
        Entries(node).TryGetValue(key, out var value) ? Flatten(value) : [];

    private static Dictionary<string, YamlNode> Entries(YamlMappingNode node)
    {
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && merged is YamlMappingNode parent)
        {
            foreach (var (key, value) in Entries(parent))
            {
                entries[key] = value;
            }
        }

        foreach (var (key, value) in node.Children.Where(c => c.Key.ToString() != "<<"))
        {
            entries[key.ToString()] = value;
        }

        return entries;
    }

    private static List<string> Flatten(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => [.. sequence.SelectMany(Flatten)],
        YamlMappingNode mapping => [.. Entries(mapping).Keys],
        _ => [],
    };

    private static YamlMappingNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\$\{([A-Z_]+)", RegexOptions.NonBacktracking)]
    private static partial Regex Variable();
}
