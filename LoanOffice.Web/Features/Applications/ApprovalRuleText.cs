using System.Globalization;
using System.Text.Json;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Applications;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Features.Applications;

/// <summary>
/// Why the approved figures are what they are, in the reader's language: rendered from the structured basis the
/// aggregation stored (voted amounts and terms, rejecters, medians, thresholds) or from the committee's recorded votes.
/// The English text stored at decision time stays in the record and the audit trail; it is only the fallback here.
/// </summary>
public static partial class ApprovalRuleText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Describe(ApprovalDecisionRecord decision, IStringLocalizer l)
    {
        var basis = ReadBasis(decision);
        if (basis is null) return decision.Explanation + Settlement(decision, l);
        if (decision.Outcome == nameof(AggregationOutcome.RejectedByAnApprover))
            return l["Rule.Rejected", string.Join("、", basis.Rejecters)] + Settlement(decision, l);

        var t = basis.Thresholds;
        var amounts = string.Join(", ", basis.Amounts.Select(Amount));
        var spread = basis.Amounts.Count == 0 ? 0m : (basis.Amounts[^1] - basis.Amounts[0]) / basis.Amounts[0];
        var amountText = decision.AmountRule switch
        {
            nameof(AmountRule.Minimum) => l["Rule.AmountMinimum", amounts, Percent(spread), Percent(t.MinimumRuleSpread), Amount(decision.Amount ?? 0m)],
            nameof(AmountRule.Median) => l["Rule.AmountMedian", amounts, Percent(spread), Percent(t.MedianRuleSpread), Amount(basis.AmountMedian ?? 0m), Amount(t.AmountUnit), Amount(decision.Amount ?? 0m)],
            _ => l["Rule.AmountDispute", amounts, Percent(spread), Percent(t.MedianRuleSpread)],
        };
        var terms = string.Join(", ", basis.Terms);
        var termSpread = basis.Terms.Count == 0 ? 0 : basis.Terms[^1] - basis.Terms[0];
        var termText = decision.TermRule == nameof(TermRule.Median)
            ? l["Rule.TermMedian", terms, termSpread, t.TermSpreadMonths, Amount(basis.TermMedian ?? 0m), decision.Months ?? 0]
            : l["Rule.TermDispute", terms, termSpread, t.TermSpreadMonths];
        var text = amountText.Value + " " + termText.Value;
        if (decision.Outcome == nameof(AggregationOutcome.Dispute)) text += " " + l["Rule.ChiefSets"].Value;
        return text + Settlement(decision, l);
    }

    public static string DescribeCommittee(DateOnly meetingDate, IReadOnlyList<CommitteeMemberVote> votes, IStringLocalizer l)
    {
        var members = string.Join("；", votes.Select(v =>
            v.Member + " " + l[v.Approve ? "Rule.MemberApprove" : "Rule.MemberReject"].Value + (string.IsNullOrWhiteSpace(v.Comment) ? "" : "（" + v.Comment + "）")));
        return l["Rule.Committee", meetingDate.ToString("yyyy-MM-dd", Invariant), members];
    }

    /// <summary>
    /// A timeline comment in the reader's language: the comment a system move recorded (the aggregation's or a
    /// settlement's explanation, a committee's decision) is written again from its decision; what a person typed stays.
    /// </summary>
    public static string? ForComment(string? comment, IReadOnlyList<ApprovalDecisionRecord> decisions, IStringLocalizer l)
    {
        if (string.IsNullOrEmpty(comment)) return comment;
        if (decisions.FirstOrDefault(d => d.Explanation.Length > 0 && comment.StartsWith(d.Explanation, StringComparison.Ordinal)) is { } decision)
            return Describe(decision, l);
        var committee = CommitteeComment().Match(comment);
        if (committee.Success)
            return l["Rule.Committee", committee.Groups[1].Value, l[committee.Groups[2].Value == "approved" ? "Rule.CommitteeApproved" : "Rule.CommitteeRejected"].Value];
        return comment;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Committee meeting (\d{4}-\d{2}-\d{2}): (approved|rejected)\.$")]
    private static partial System.Text.RegularExpressions.Regex CommitteeComment();

    public static AggregationBasis? ReadBasis(ApprovalDecisionRecord decision) =>
        decision.Basis is null ? null : JsonSerializer.Deserialize<AggregationBasis>(decision.Basis);

    private static string Settlement(ApprovalDecisionRecord d, IStringLocalizer l) =>
        d.SettlementComment is null ? string.Empty : " " + l["Rule.Settled", d.SettledByName ?? "—", d.SettlementComment].Value;

    private static string Amount(decimal value) => value.ToString("#,0.##", Invariant);

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0.##", Invariant) + " %";
}
