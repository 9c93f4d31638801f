using Deliverability.Core.Audits;
using Deliverability.Core.MessageChecks.SpamAssassin;

namespace Deliverability.Core.MessageChecks;

/// <summary>
/// The score out of 10, read like mail-tester's: 10 is a message with nothing to fix. From 10 are taken the
/// SpamAssassin points above zero (negative points add nothing), 1.5 per error finding and 0.5 per warning finding;
/// information findings cost nothing. The result is kept between 0 and 10 and rounded to one decimal.
/// </summary>
public static class MessageScore
{
    public const double ErrorCost = 1.5;
    public const double WarningCost = 0.5;

    public static double Compute(IEnumerable<Finding> findings, SpamAssassinResult? spam)
    {
        var cost = Math.Max(0, spam?.Score ?? 0);
        foreach (var finding in findings)
        {
            cost += finding.Severity switch
            {
                Severity.Error => ErrorCost,
                Severity.Warning => WarningCost,
                _ => 0,
            };
        }

        return Math.Round(Math.Clamp(10 - cost, 0, 10), 1, MidpointRounding.AwayFromZero);
    }
}
