namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>
/// Whether other nodes write the same alerts (several nodes on one PostgreSQL database): one node evaluates at a time,
/// but any node acknowledges or silences, and the evaluating node changes over on a fail-over. Then every evaluation
/// and command reads the alerts' state from the database instead of trusting what this node held since its last turn,
/// which makes a fail-over the same as a restart (whose guarantees hold: nothing lost, nothing sent twice).
/// </summary>
public sealed record AlertStateSharing(bool SharedWithOtherNodes);
