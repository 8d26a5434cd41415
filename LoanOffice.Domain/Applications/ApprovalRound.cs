using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using LoanOffice.Domain.Products;

namespace LoanOffice.Domain.Applications;

/// <summary>A vote as cast in a round.</summary>
public sealed record CastVote(Guid ApproverId, bool Approve, decimal? Amount, int? Months, string? Comment);

/// <summary>
/// One round of centralized approval (集中审批): the team's approver group votes, each blind to the others until they
/// have voted; when every member has voted the aggregation decides (or hands a dispute or a reject to the chief).
/// The round guards its own rules: only a member of the group votes, once; an approval names an amount within the
/// product's range and in its amount unit and a whole-month term; a reject names its reason.
/// </summary>
public sealed class ApprovalRound(int number, IReadOnlyCollection<Guid> group, IEnumerable<CastVote> votes, LoanProduct product, RepaymentMethod method)
{
    private readonly List<CastVote> _votes = [.. votes];

    public int Number { get; } = number;
    public IReadOnlyList<CastVote> Votes => _votes;
    public int Required => group.Count;
    public bool IsComplete => _votes.Count >= group.Count;

    /// <summary>The ballot's own fields, checked before anything is loaded.</summary>
    public static Error? CheckBallot(bool approve, decimal? amount, int? months, string? comment)
    {
        if (!approve && string.IsNullOrWhiteSpace(comment)) return Error.Of(ErrorCodes.VoteRejectReasonRequired).At("comment");
        if (approve && (amount is null or <= 0m)) return Error.Of(ErrorCodes.VoteAmountRequired).At("amount");
        if (approve && (months is null or < 1)) return Error.Of(ErrorCodes.VoteMonthsRequired).At("months");
        return null;
    }

    /// <summary>Casts <paramref name="actor"/>'s vote into the round (the caller has checked the file is in Approval and four eyes).</summary>
    public Result<CastVote> Cast(Actor actor, bool approve, decimal? amount, int? months, string? comment)
    {
        if (CheckBallot(approve, amount, months, comment) is { } invalid) return invalid;
        if (!actor.Roles.Contains(Roles.Approver)) return Error.Of(ErrorCodes.VoteApproverOnly);
        if (!group.Contains(actor.UserId)) return Error.Of(ErrorCodes.VoteNotInGroupOutOfScope);
        if (_votes.Any(v => v.ApproverId == actor.UserId)) return Error.Of(ErrorCodes.VoteAlreadyVoted);
        if (approve)
        {
            var check = product.CheckRequest(amount!.Value, months!.Value, product.MinAnnualRate, method);
            if (!check.IsSuccess) return check.Error!;
            if (decimal.Remainder(amount.Value, product.Thresholds.AmountUnit) != 0m)
                return Error.Of(ErrorCodes.VoteAmountUnit, product.Thresholds.AmountUnit.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)).At("amount");
        }

        var vote = new CastVote(actor.UserId, approve, approve ? amount : null, approve ? months : null, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        _votes.Add(vote);
        return vote;
    }

    /// <summary>The aggregation once every member has voted (DOMAIN.md: spreads, median, dispute, any reject to the chief).</summary>
    public Result<AggregationResult> Aggregate() =>
        ApprovalAggregation.Aggregate(_votes.Select(v => new ApprovalVote(v.ApproverId.ToString(), v.Approve, v.Amount ?? 0m, v.Months ?? 0, v.Comment)).ToList(),
            product.Thresholds);

    /// <summary>Who sees the round's votes: an approver after voting; the chief, compliance and management always; everyone once the round is over.</summary>
    public bool VisibleTo(Guid userId, IReadOnlySet<string> roles, bool stillInApproval) =>
        roles.Overlaps([Roles.ChiefApprover, Roles.Compliance, Roles.GeneralManager, Roles.Admin]) || _votes.Any(v => v.ApproverId == userId) || !stillInApproval;
}
