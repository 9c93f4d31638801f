using System.Text.Json;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.MessageChecks;

namespace Deliverability.Server.MessageChecks;

/// <summary>The Message check page's read model: past checks, one check as the API gives it, two compared.</summary>
public sealed class MessageCheckBoard(MessageCheckStore store)
{
    public const int ListLength = 50;

    public async Task<IReadOnlyList<MessageCheckSummaryDto>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(ListLength, cancellationToken)).Select(r => new MessageCheckSummaryDto(r.Id, r.CheckedAt, r.Source, r.Subject, r.From, r.Score, r.Errors, r.Warnings))];

    public async Task<MessageCheckDto?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } row ? JsonSerializer.Deserialize<MessageCheckDto>(row.ReportJson, MessageCheckRunner.Json) : null;
}

/// <summary>What changed from one check to a later one: the score, SpamAssassin's score and the findings.</summary>
/// <param name="Fixed">Findings of the earlier check the later one no longer has.</param>
/// <param name="New">Findings of the later check the earlier one did not have.</param>
/// <param name="Changed">Findings in both whose severity changed (earlier, later).</param>
public sealed record MessageCheckComparison(
    MessageCheckDto Earlier, MessageCheckDto Later, IReadOnlyList<MessageFindingDto> Fixed, IReadOnlyList<MessageFindingDto> New,
    IReadOnlyList<(MessageFindingDto Earlier, MessageFindingDto Later)> Changed)
{
    public double ScoreChange => Math.Round(Later.Score - Earlier.Score, 1);

    public double? SpamScoreChange => Earlier.Spam is { } a && Later.Spam is { } b ? Math.Round(b.Score - a.Score, 1) : null;

    /// <summary>Compares two checks, the earlier first whatever the order given; a finding is the same when its code and subject are.</summary>
    public static MessageCheckComparison Of(MessageCheckDto one, MessageCheckDto other)
    {
        var (earlier, later) = one.CheckedAt <= other.CheckedAt ? (one, other) : (other, one);
        var before = earlier.Findings.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var after = later.Findings.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        return new MessageCheckComparison(
            earlier,
            later,
            [.. before.Where(b => !after.ContainsKey(b.Key)).Select(b => b.Value)],
            [.. after.Where(a => !before.ContainsKey(a.Key)).Select(a => a.Value)],
            [.. before.Where(b => after.TryGetValue(b.Key, out var a) && a.Severity != b.Value.Severity).Select(b => (b.Value, after[b.Key]))]);
    }

    private static (string, string?) Key(MessageFindingDto finding) => (finding.Code, finding.Subject);
}
