namespace Deliverability.Server.LoadTests;

/// <summary>
/// <c>Monitor:LoadTests</c>: where the stored scenarios are, what a run started by the service may touch beyond
/// loopback and the sink domains, and how large an imported report may be.
/// </summary>
public sealed class LoadTestOptions
{
    public const string SectionName = "Monitor:LoadTests";

    /// <summary>The folder of the scenario files (<c>*.json</c>); relative to the content root. Default: <c>loadtests</c> in the content root.</summary>
    public string? ScenarioFolder { get; set; }

    /// <summary>Hosts a run may send to besides loopback (matched by name, never resolved). Empty: loopback only.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Recipient domains a run may send to besides the sink domains (.invalid, .test, example.com...).</summary>
    public List<string> AllowedRecipientDomains { get; set; } = [];

    /// <summary>The largest report <c>POST /api/loadtests/import</c> accepts, in bytes (a report carries a histogram per second).</summary>
    public int MaxReportBytes { get; set; } = 16 * 1024 * 1024;

    public const int MinReportBytes = 1024;
    public const int MaxReportBytesLimit = 256 * 1024 * 1024;

    /// <summary>The scenario folder as an absolute path.</summary>
    public string ScenarioFolderPath(string contentRoot) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(ScenarioFolder) ? "loadtests" : ScenarioFolder.Trim(), contentRoot);
}
