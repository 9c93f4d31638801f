namespace Deliverability.Core.MessageChecks.SpamAssassin;

/// <summary>One SpamAssassin rule that hit, with its points and description.</summary>
public sealed record SpamRuleHit(string Name, double Points, string Description);

/// <summary>SpamAssassin's verdict on a message.</summary>
/// <param name="Score">The points the message scored.</param>
/// <param name="Threshold">The points from which SpamAssassin calls a message spam (<c>required_score</c>, 5 by default).</param>
public sealed record SpamAssassinResult(double Score, double Threshold, bool IsSpam, IReadOnlyList<SpamRuleHit> Rules);
