using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using LoanOffice.Domain.Products;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class ApprovalRoundTests
{
    private static readonly LoanProduct Product = new("CREDIT-A", "信用贷A", ProductKind.Credit, 10_000m, 200_000m, 3, 36, 0.08m, 0.15m,
        [RepaymentMethod.EqualInstallment], 0.5m, 3, 3, ApprovalThresholds.Default, ["身份证"]);

    private static Actor Approver(Guid id) => new(id, "审批人员", new HashSet<string> { Roles.Approver }, null);

    [Fact]
    public void Members_VoteOnce_WithinTheProductAndItsUnit_ThenTheRoundAggregates()
    {
        var (a, b, c, outsider) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var round = new ApprovalRound(1, [a, b, c], [], Product, RepaymentMethod.EqualInstallment);
        round.Cast(Approver(outsider), true, 100_000m, 12, null).Error!.Code.ShouldBe(ErrorCodes.VoteNotInGroupOutOfScope);
        round.Cast(Approver(a), true, 100_050m, 12, null).Error!.Code.ShouldBe(ErrorCodes.VoteAmountUnit);
        round.Cast(Approver(a), true, 300_000m, 12, null).Error!.Code.ShouldBe(ErrorCodes.ProductAmountRange);
        round.Cast(Approver(a), false, null, null, " ").Error!.Field.ShouldBe("comment");
        round.Votes.ShouldBeEmpty("refusals cast nothing");

        round.Cast(Approver(a), true, 100_000m, 12, "同意").IsSuccess.ShouldBeTrue();
        round.Cast(Approver(a), true, 100_000m, 12, null).Error!.Code.ShouldBe(ErrorCodes.VoteAlreadyVoted);
        round.VisibleTo(a, new HashSet<string> { Roles.Approver }, stillInApproval: true).ShouldBeTrue("after voting");
        round.VisibleTo(b, new HashSet<string> { Roles.Approver }, stillInApproval: true).ShouldBeFalse("blind until voting");
        round.VisibleTo(b, new HashSet<string> { Roles.ChiefApprover }, stillInApproval: true).ShouldBeTrue();
        round.IsComplete.ShouldBeFalse();
        round.Cast(Approver(b), true, 105_000m, 12, null).IsSuccess.ShouldBeTrue();
        round.Cast(Approver(c), true, 110_000m, 15, null).IsSuccess.ShouldBeTrue();
        round.IsComplete.ShouldBeTrue();
        var decided = round.Aggregate().Value!;
        (decided.Outcome, decided.Amount, decided.Months).ShouldBe((AggregationOutcome.Decided, 100_000m, 12)); // spread 10 % → the minimum
    }
}
