using System.Globalization;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Products;

namespace LoanOffice.Domain.Applications;

/// <summary>One approver's vote in centralized approval: approve with figures, or reject.</summary>
public sealed record ApprovalVote(string Approver, bool Approve, decimal Amount, int Months, string? Comment)
{
    public static ApprovalVote Approved(string approver, decimal amount, int months, string? comment = null) => new(approver, true, amount, months, comment);
    public static ApprovalVote Rejected(string approver, string comment) => new(approver, false, 0m, 0, comment);
}

public enum AggregationOutcome
{
    /// <summary>The figures follow from the rules.</summary>
    Decided,
    /// <summary>审批分歧: a spread was too wide; the ChiefApprover sets the disputed figure(s).</summary>
    Dispute,
    /// <summary>At least one approver rejected: the ChiefApprover decides (a reject is never outvoted).</summary>
    RejectedByAnApprover,
}

public enum AmountRule { Minimum, Median, Dispute }

public enum TermRule { Median, Dispute }

/// <summary>The aggregation's decision and why, for the approval report.</summary>
public sealed record AggregationResult(
    AggregationOutcome Outcome,
    decimal? Amount,
    int? Months,
    AmountRule? AmountRule,
    TermRule? TermRule,
    decimal? AmountSpread,
    int? TermSpread,
    string Explanation)
{
    /// <summary>The inputs the rules worked on, so the explanation can be rendered in any language later.</summary>
    public AggregationBasis Basis { get; init; } = AggregationBasis.Empty;
}

/// <summary>
/// What the aggregation looked at: the voted amounts and terms (ascending), who rejected, the medians it computed and
/// the product thresholds in force. Stored with the decision; the explanation text is rendered from it per language.
/// </summary>
public sealed record AggregationBasis(
    IReadOnlyList<decimal> Amounts,
    IReadOnlyList<int> Terms,
    IReadOnlyList<string> Rejecters,
    decimal? AmountMedian,
    decimal? TermMedian,
    ApprovalThresholds Thresholds)
{
    public static AggregationBasis Empty { get; } = new([], [], [], null, null, ApprovalThresholds.Default);
}

/// <summary>
/// Centralized approval (集中审批), exactly as DOMAIN.md: any reject → ChiefApprover; amount spread (max − min) / min:
/// ≤ 10 % → the minimum, ≤ 30 % → the median (even count: mean of the two middle) rounded down to the amount unit,
/// above → dispute; term spread max − min: ≤ 6 months → the median rounded down to a whole month, above → dispute.
/// Thresholds and unit come from the product.
/// </summary>
public static class ApprovalAggregation
{
    public static Result<AggregationResult> Aggregate(IReadOnlyList<ApprovalVote> votes, ApprovalThresholds thresholds)
    {
        if (votes.Count == 0) return Error.Of(ErrorCodes.ApprovalNoVotes);
        if (votes.Select(v => v.Approver).Distinct(StringComparer.Ordinal).Count() != votes.Count)
            return Error.Of(ErrorCodes.ApprovalDuplicateVote);
        foreach (var v in votes.Where(v => v.Approve))
        {
            if (v.Amount <= 0m || v.Months < 1)
                return Error.Of(ErrorCodes.ApprovalVoteTermsRequired, v.Approver).At("amount");
            if (decimal.Remainder(v.Amount, thresholds.AmountUnit) != 0m)
                return Error.Of(ErrorCodes.ApprovalVoteAmountUnit, v.Approver, thresholds.AmountUnit.ToString("0.##", CultureInfo.InvariantCulture)).At("amount");
        }

        var rejects = votes.Where(v => !v.Approve).Select(v => v.Approver).ToList();
        if (rejects.Count > 0)
        {
            return new AggregationResult(AggregationOutcome.RejectedByAnApprover, null, null, null, null, null, null,
                $"Rejected by {string.Join(", ", rejects)}: the ChiefApprover decides.")
            {
                Basis = new AggregationBasis([], [], rejects, null, null, thresholds),
            };
        }

        var amounts = votes.Select(v => v.Amount).Order().ToList();
        var terms = votes.Select(v => v.Months).Order().ToList();
        var amountSpread = (amounts[^1] - amounts[0]) / amounts[0];
        var termSpread = terms[^1] - terms[0];

        AmountRule amountRule;
        decimal? amount;
        decimal? amountMedian = null;
        string amountWhy;
        var amountList = string.Join(", ", amounts.Select(a => a.ToString("0.##", CultureInfo.InvariantCulture)));
        var spreadText = amountSpread.ToString("P2", CultureInfo.InvariantCulture);
        if (amountSpread <= thresholds.MinimumRuleSpread)
        {
            amountRule = AmountRule.Minimum;
            amount = amounts[0];
            amountWhy = FormattableString.Invariant($"amounts {amountList}: spread {spreadText} ≤ {thresholds.MinimumRuleSpread:P0}, so the minimum {amount:0.##}");
        }
        else if (amountSpread <= thresholds.MedianRuleSpread)
        {
            amountRule = AmountRule.Median;
            var median = Median(amounts);
            amountMedian = median;
            amount = Math.Floor(median / thresholds.AmountUnit) * thresholds.AmountUnit;
            amountWhy = FormattableString.Invariant($"amounts {amountList}: spread {spreadText} ≤ {thresholds.MedianRuleSpread:P0}, so the median {median:0.##} rounded down to {thresholds.AmountUnit:0.##} = {amount:0.##}");
        }
        else
        {
            amountRule = AmountRule.Dispute;
            amount = null;
            amountWhy = FormattableString.Invariant($"amounts {amountList}: spread {spreadText} > {thresholds.MedianRuleSpread:P0}, a dispute");
        }

        TermRule termRule;
        int? months;
        decimal? termMedian = null;
        string termWhy;
        var termList = string.Join(", ", terms);
        if (termSpread <= thresholds.TermSpreadMonths)
        {
            termRule = TermRule.Median;
            var median = Median(terms.Select(t => (decimal)t).ToList());
            termMedian = median;
            months = (int)Math.Floor(median);
            termWhy = FormattableString.Invariant($"terms {termList}: spread {termSpread} ≤ {thresholds.TermSpreadMonths} months, so the median {median:0.##} rounded down = {months}");
        }
        else
        {
            termRule = TermRule.Dispute;
            months = null;
            termWhy = FormattableString.Invariant($"terms {termList}: spread {termSpread} > {thresholds.TermSpreadMonths} months, a dispute");
        }

        var outcome = amountRule == AmountRule.Dispute || termRule == TermRule.Dispute ? AggregationOutcome.Dispute : AggregationOutcome.Decided;
        var figures = (amount.HasValue ? amount.Value.ToString("0.00", CultureInfo.InvariantCulture) : "—") + " 元 / " + (months?.ToString(CultureInfo.InvariantCulture) ?? "—") + " months";
        return new AggregationResult(outcome, amount, months, amountRule, termRule, amountSpread, termSpread,
            FormattableString.Invariant($"{amountWhy}; {termWhy}. Result: {(outcome == AggregationOutcome.Decided ? figures : "the ChiefApprover sets the disputed figures")}."))
        {
            Basis = new AggregationBasis(amounts, terms, [], amountMedian, termMedian, thresholds),
        };
    }

    private static decimal Median(List<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2m;
}
