namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>
/// <c>Monitor:Sending</c>: how often stored send events are rolled up, and the thresholds of the sending alerts (the
/// rules' on/off and <c>For</c> are under <c>Monitor:Alerts:Rules</c>, like every rule's). Rates are shares (0.001 = 0.1 %).
/// </summary>
public sealed class SendingOptions
{
    public const string SectionName = "Monitor:Sending";

    /// <summary>
    /// Events stored by this node wake the processor at once; where sources are configured it also looks this often for
    /// events another node stored and left, and a failed batch is tried again after it. With no source it only waits.
    /// </summary>
    public TimeSpan ProcessInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events rolled up per transaction.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>The window of the bounce, block and deferral rates.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Fewer outcomes (delivered, bounced, blocked) at a mailbox provider in the window than this: its rates say nothing yet.</summary>
    public int MinEvents { get; set; } = 100;

    /// <summary>Bounces per outcome (soft and hard).</summary>
    public RateThreshold Bounce { get; set; } = new() { Warning = 0.05, Critical = 0.10 };

    /// <summary>Blocks per outcome.</summary>
    public RateThreshold Block { get; set; } = new() { Warning = 0.02, Critical = 0.05 };

    /// <summary>Deferrals per attempt.</summary>
    public RateThreshold Deferral { get; set; } = new() { Warning = 0.10, Critical = 0.25 };

    /// <summary>Complaints per delivered message: Gmail and Yahoo ask for under 0.1 % and never 0.3 %.</summary>
    public RateThreshold Complaint { get; set; } = new() { Warning = 0.001, Critical = 0.003 };

    /// <summary>The window of the complaint rate (complaints come hours after delivery, and providers count per day).</summary>
    public TimeSpan ComplaintWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Fewer delivered messages at a mailbox provider in the complaint window than this: its complaint rate says nothing yet.</summary>
    public int MinDelivered { get; set; } = 1000;

    /// <summary>The window of the transactional delivery latency.</summary>
    public TimeSpan LatencyWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A transactional stream's p95 delivery latency above this warns.</summary>
    public TimeSpan LatencyP95Warning { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A transactional stream's p95 delivery latency above this is critical.</summary>
    public TimeSpan LatencyP95Critical { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Fewer latency samples in the window than this: the p95 says nothing yet.</summary>
    public int MinLatencySamples { get; set; } = 20;

    /// <summary>The window a stream's volume is compared over, against the same window a week before (or its forecast).</summary>
    public TimeSpan VolumeWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far behind now the volume window ends: events arrive late (providers batch their webhooks).</summary>
    public TimeSpan VolumeLag { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A stream sending less than this share of its expected volume is low (warning); nothing at all is stopped (critical).</summary>
    public double VolumeLowRatio { get; set; } = 0.5;

    /// <summary>Fewer expected messages in the window than this: no volume alert (a quiet hour says nothing).</summary>
    public int MinExpectedVolume { get; set; } = 100;

    /// <summary>The window of the throttling codes.</summary>
    public TimeSpan ThrottlingWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Fewer replies with one throttling code in the window than this: no alert.</summary>
    public int MinThrottlingEvents { get; set; } = 5;

    /// <summary>How long a failed critical message keeps its alert firing.</summary>
    public TimeSpan CriticalWindow { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A rate's warning and critical thresholds (shares from 0 to 1).</summary>
public sealed class RateThreshold
{
    public double Warning { get; set; }

    public double Critical { get; set; }

    /// <summary>"critical", "warning" or null for a rate under both.</summary>
    public string? SeverityOf(double rate) => rate >= Critical ? "critical" : rate >= Warning ? "warning" : null;
}
