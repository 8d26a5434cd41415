using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Products;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class ApprovalAggregationTests
{
    private static AggregationResult Aggregate(params ApprovalVote[] votes) =>
        ApprovalAggregation.Aggregate(votes, ApprovalThresholds.Default).Value!;

    [Fact]
    public void SpreadUpTo10Percent_TakesTheMinimum()
    {
        var r = Aggregate(ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("b", 105_000m, 12), ApprovalVote.Approved("c", 110_000m, 12));
        r.Outcome.ShouldBe(AggregationOutcome.Decided);
        r.Amount.ShouldBe(100_000m);
        r.AmountRule.ShouldBe(AmountRule.Minimum);
        r.Explanation.ShouldContain("spread 10.00 %");
    }

    [Fact]
    public void SpreadUpTo30Percent_TakesTheMedian()
    {
        var r = Aggregate(ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("b", 115_000m, 12), ApprovalVote.Approved("c", 130_000m, 12));
        r.Amount.ShouldBe(115_000m);
        r.AmountRule.ShouldBe(AmountRule.Median);
    }

    [Fact]
    public void SpreadUpTo30Percent_EvenCount_MeanOfTheMiddleTwo_RoundedDownToTheUnit()
    {
        var r = Aggregate(ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("b", 110_100m, 12),
            ApprovalVote.Approved("c", 120_000m, 12), ApprovalVote.Approved("d", 125_000m, 12));
        r.Amount.ShouldBe(115_000m); // (110,100 + 120,000) / 2 = 115,050 → 115,000
        r.Explanation.ShouldContain("115050");
    }

    [Fact]
    public void SpreadAbove30Percent_IsADispute()
    {
        var r = Aggregate(ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("b", 130_100m, 12));
        r.Outcome.ShouldBe(AggregationOutcome.Dispute);
        r.Amount.ShouldBeNull();
        r.Months.ShouldBe(12);
        r.AmountRule.ShouldBe(AmountRule.Dispute);
    }

    [Fact]
    public void Terms_WithinSixMonths_MedianRoundedDown_ElseDispute()
    {
        var decided = Aggregate(ApprovalVote.Approved("a", 50_000m, 12), ApprovalVote.Approved("b", 50_000m, 15),
            ApprovalVote.Approved("c", 50_000m, 18), ApprovalVote.Approved("d", 50_000m, 12));
        decided.Months.ShouldBe(13); // middle two 12 and 15 → 13.5 → 13
        decided.TermRule.ShouldBe(TermRule.Median);
        var disputed = Aggregate(ApprovalVote.Approved("a", 50_000m, 12), ApprovalVote.Approved("b", 50_000m, 19));
        disputed.Outcome.ShouldBe(AggregationOutcome.Dispute);
        disputed.TermRule.ShouldBe(TermRule.Dispute);
        disputed.Amount.ShouldBe(50_000m);
    }

    [Fact]
    public void AnyReject_GoesToTheChiefApprover_NeverOutvoted()
    {
        var r = Aggregate(ApprovalVote.Approved("a", 50_000m, 12), ApprovalVote.Approved("b", 50_000m, 12), ApprovalVote.Rejected("c", "income not verified"));
        r.Outcome.ShouldBe(AggregationOutcome.RejectedByAnApprover);
        r.Amount.ShouldBeNull();
        r.Explanation.ShouldContain("c");
    }

    [Fact]
    public void ProductThresholds_Apply()
    {
        var strict = new ApprovalThresholds(0.05m, 0.15m, 3, 1000m);
        var r = ApprovalAggregation.Aggregate([ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("b", 112_000m, 14)], strict).Value!;
        r.Amount.ShouldBe(106_000m);
        r.Months.ShouldBe(13);
    }

    [Fact]
    public void Votes_NotInTheAmountUnit_OrDuplicated_AreRefused()
    {
        ApprovalAggregation.Aggregate([ApprovalVote.Approved("a", 100_050m, 12)], ApprovalThresholds.Default).Error!.Field.ShouldBe("amount");
        ApprovalAggregation.Aggregate([ApprovalVote.Approved("a", 100_000m, 12), ApprovalVote.Approved("a", 100_000m, 12)], ApprovalThresholds.Default)
            .Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApprovalDuplicateVote);
    }
}
