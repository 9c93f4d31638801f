namespace Deliverability.Server.Infrastructure;

/// <summary>
/// Several nodes on one PostgreSQL database (<c>Cluster</c> section). On PostgreSQL the scheduler is always clustered:
/// each scheduled job runs on one node at a time, and a dead node's jobs move to another after
/// <see cref="CheckinInterval"/> plus <see cref="CheckinMisfireThreshold"/>. On SQLite (one node) these do nothing.
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>This node's name in the job store, unique in the cluster; empty: the host name and start time.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary>How often a node tells the others it is alive.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How late a node's check-in may be before the others take its jobs.</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an idle scheduler waits before looking for due triggers again (a bound on take-over delay).</summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(5);
}
