using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

/// <summary>The money defects of the loan-book issue, each with the figures it was found with.</summary>
public class LoanBookRegressionTests
{
    private static Loan Disbursed(RepaymentMethod method, decimal principal, decimal rate, int months, DateOnly on, int grace = 0, decimal markup = 0.5m) =>
        Loan.Disburse(new LoanTerms(method, principal, rate, months, on, markup, grace)).Value!;

    [Fact]
    public void EqualPrincipal_HalfAFen_RoundsUp_Installment7Is2529Point63_TotalInterest464336Point40()
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.EqualPrincipal, 630_000m, 0.049m, 360, new DateOnly(2026, 1, 15)).Value!;
        s.Installments[6].Interest.ShouldBe(2_529.63m, "619,500 × 0.049 ÷ 12 = 2,529.625 exactly");
        s.TotalInterest.ShouldBe(464_336.40m);
        s.TotalPrincipal.ShouldBe(630_000m);
    }

    [Fact]
    public void Rate_MultipliesBeforeDividing()
    {
        var rate = Rate.FromAnnual(0.049m);
        rate.ForMonths(619_500m).ShouldBe(2_529.625m);
        rate.ForDays(9_000m, 15).ShouldBe(18.375m);
        MoneyRules.RoundToFen(619_500m * (0.049m / 12m)).ShouldBe(2_529.62m, "the divided-first figure the fix replaces");
    }

    [Fact]
    public void PrepaymentQuote_FifteenDaysOn9000At4Point9_Charges18Point38()
    {
        var loan = Disbursed(RepaymentMethod.Bullet, 9_000m, 0.049m, 12, new DateOnly(2026, 1, 15));
        var prepaid = loan.Prepay(new PrepaymentEvent(Guid.NewGuid(), new DateOnly(2026, 1, 30), 9_000m, PrepaymentOption.LowerInstallment), new DateOnly(2026, 1, 29)).Value!;
        var quote = prepaid.Prepayments.Values.Single();
        quote.DaysSinceLastDueDate.ShouldBe(15);
        quote.InterestForDays.ShouldBe(18.38m);
        quote.TotalToPay.ShouldBe(9_018.38m);
        prepaid.IsSettled.ShouldBeTrue();
    }

    [Fact]
    public void PayoffQuote_FifteenDaysOn9000At4Point9_Is9018Point38()
    {
        var loan = Disbursed(RepaymentMethod.Bullet, 9_000m, 0.049m, 12, new DateOnly(2026, 1, 15));
        var payoff = loan.PayoffOn(new DateOnly(2026, 1, 30)).Value!;
        payoff.Days.ShouldBe(15);
        payoff.InterestForDays.ShouldBe(18.38m);
        payoff.Total.ShouldBe(9_018.38m);
    }

    [Fact]
    public void ExactOnTimePayment_SettlesTheInstallment_AndLeavesNothingOverdue()
    {
        var loan = Disbursed(RepaymentMethod.EqualInstallment, 12_000m, 0.18m, 12, new DateOnly(2026, 1, 10));
        var due = new DateOnly(2026, 2, 10);
        var posted = loan.Post(new PaymentEvent(Guid.NewGuid(), due, 1_100.16m), due, due).Value!;
        var allocation = posted.Allocations.Values.Single();
        allocation.Lines.Select(l => (l.Component, l.InstallmentNumber, l.Amount)).ShouldBe(
        [
            (AllocationComponent.CurrentInterest, 1, 180.00m),
            (AllocationComponent.CurrentPrincipal, 1, 920.16m),
        ]);
        var next = loan.PositionAt(due.AddDays(1)).Value!;
        next.DaysPastDue.ShouldBe(0);
        next.Status.ShouldBe(LoanStatus.Active);
        next.State.PenaltyAccrued.ShouldBe(0m);
        next.State.Installments[0].InterestPaid.ShouldBe(180.00m);
        next.State.Installments[0].PrincipalPaid.ShouldBe(920.16m);
        next.State.Installments[1].InterestPaid.ShouldBe(0m, "nothing of installment 2's interest is due before its own period");
    }

    [Fact]
    public void PaymentAboveTheCurrentInstallment_IsRefusedWithTheAmountDue()
    {
        var loan = Disbursed(RepaymentMethod.EqualInstallment, 12_000m, 0.18m, 12, new DateOnly(2026, 1, 10));
        var due = new DateOnly(2026, 2, 10);
        var refused = loan.Post(new PaymentEvent(Guid.NewGuid(), due, 1_100.17m), due, due);
        refused.Error!.Code.ShouldBe(ErrorCodes.Overpayment);
        refused.Error.Args[1].ShouldBe(1_100.16m);
        loan.History.ShouldBeEmpty("a refused payment leaves the history unchanged");
    }

    [Fact]
    public void APayment_OnTheDisbursementDate_IsAccepted()
    {
        var on = new DateOnly(2026, 1, 10);
        var loan = Disbursed(RepaymentMethod.EqualInstallment, 12_000m, 0.18m, 12, on);
        var posted = loan.Post(new PaymentEvent(Guid.NewGuid(), on, 100m), on, on);
        posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        posted.Value!.Allocations.Values.Single().Lines.Single().ShouldBe(new AllocationLine(AllocationComponent.CurrentInterest, 1, 100m));
    }

    [Fact]
    public void PayoffQuote_CountsAPaymentPostedThatDay()
    {
        // overdue since 10 Feb; 3,000 paid on 10 Mar goes to penalty, compound, overdue interest and principal first
        var loan = Disbursed(RepaymentMethod.EqualInstallment, 12_000m, 0.18m, 12, new DateOnly(2026, 1, 10));
        var on = new DateOnly(2026, 3, 20);
        var before = loan.PayoffOn(on).Value!;
        loan.Post(new PaymentEvent(Guid.NewGuid(), on, 3_000m), on, on.AddDays(-1)).IsSuccess.ShouldBeTrue();
        var after = loan.PayoffOn(on).Value!;
        after.Total.ShouldBe(before.Total - 3_000m);
        after.Penalty.ShouldBe(0m);
        after.Compound.ShouldBe(0m);
    }

    [Fact]
    public void PenaltyIsAccruedAtTheExactRate_AndTheStatusIsOverdue()
    {
        var loan = Disbursed(RepaymentMethod.Bullet, 9_000m, 0.049m, 1, new DateOnly(2026, 1, 15), markup: 0.3m);
        var position = loan.PositionAt(new DateOnly(2026, 2, 16)).Value!;
        position.DaysPastDue.ShouldBe(1);
        position.Status.ShouldBe(LoanStatus.Overdue);
        position.State.PenaltyAccrued.ShouldBe(1.5925m, "9,000 × 0.049 × 1.3 ÷ 360 = 1.5925 exactly, not 1.592499…");
    }
}

public class ErrorKindTests
{
    [Theory]
    [InlineData(ErrorCodes.OutOfScope, "forbidden")]
    [InlineData(ErrorCodes.ApplicationOutOfScope, "forbidden")]
    [InlineData(ErrorCodes.FinanceOnly, "forbidden")]
    [InlineData(ErrorCodes.FinalReviewFourEyes, "forbidden")]
    [InlineData(ErrorCodes.ApplicationRoleNotAllowed, "forbidden")]
    [InlineData(ErrorCodes.ApplicationNotFound, "not found")]
    [InlineData(ErrorCodes.PaymentNotFound, "not found")]
    [InlineData(ErrorCodes.ChangedSinceOpened, "conflict")]
    [InlineData(ErrorCodes.ApplicationChanged, "conflict")]
    [InlineData(ErrorCodes.IntakeIdempotencyConflict, "conflict")]
    [InlineData(ErrorCodes.Overpayment, "refusal")]
    [InlineData(ErrorCodes.ApplicationClaimed, "refusal")]
    public void ACodesKind_FollowsItsName(string code, string kind)
    {
        var e = Error.Of(code);
        (e.IsForbidden ? "forbidden" : e.IsNotFound ? "not found" : e.IsConflict ? "conflict" : "refusal").ShouldBe(kind);
    }
}

public class CollectionLogTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    [Fact]
    public void APromiseToPay_NeedsADateFromTodayAndAnAmountInFen_AndAClosedCaseTakesNothing()
    {
        CollectionCase.Open(Today).Log(CollectionActionKind.PromiseToPay, "客户承诺月底前还款", Today.AddDays(-1), 500m, Today).Error!.Field.ShouldBe("promisedDate");
        CollectionCase.Open(Today).Log(CollectionActionKind.PromiseToPay, "客户承诺", Today, 0m, Today).Error!.Field.ShouldBe("promisedAmount");
        CollectionCase.Open(Today).Log(CollectionActionKind.PromiseToPay, "客户承诺", Today, 10.001m, Today).Error!.Code.ShouldBe(ErrorCodes.AmountNotInFen);
        CollectionCase.Open(Today).Log(CollectionActionKind.Call, " ", null, null, Today).Error!.Field.ShouldBe("note");
        Closed().Log(CollectionActionKind.Call, "电话未接通", null, null, Today).Error!.Code.ShouldBe(ErrorCodes.CollectionClosed);
        CollectionCase.Open(Today).Log(CollectionActionKind.Call, " 电话未接通 ", Today, 100m, Today).Value.ShouldBe(new CollectionEntry(CollectionActionKind.Call, "电话未接通", null, null));
        CollectionCase.Open(Today).Log(CollectionActionKind.PromiseToPay, "承诺", Today, 800m, Today).Value!.PromisedAmount.ShouldBe(800m);
    }

    private static CollectionCase Closed()
    {
        var @case = CollectionCase.Open(Today.AddDays(-10));
        @case.CloseWhenCurrent(0, Today).ShouldBeTrue();
        return @case;
    }

    [Fact]
    public void ACase_ClosesOnlyWhenTheLoanIsCurrent_OnThatDate_AndOnce()
    {
        var @case = CollectionCase.Open(new DateOnly(2026, 2, 21));
        @case.CloseWhenCurrent(3, new DateOnly(2026, 2, 23)).ShouldBeFalse("still 3 days past due");
        @case.IsOpen.ShouldBeTrue();
        @case.CloseWhenCurrent(0, new DateOnly(2026, 2, 24)).ShouldBeTrue();
        (@case.IsOpen, @case.ClosedOn).ShouldBe((false, (DateOnly?)new DateOnly(2026, 2, 24)));
        @case.CloseWhenCurrent(0, new DateOnly(2026, 2, 25)).ShouldBeFalse("closed already");
        @case.ClosedOn.ShouldBe(new DateOnly(2026, 2, 24));
    }
}

public class ChinaTodayTests
{
    private sealed class At(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant;
    }

    [Fact]
    public void TheBusinessDate_IsChinasDate_NotTheServersTimeZone()
    {
        // 17:00 UTC on 1 Dec is 01:00 on 2 Dec in China: a date picker's default and fallback are the 2nd
        LoanOffice.Web.Components.Shared.Fmt.ChinaToday(new At(new DateTimeOffset(2026, 12, 1, 17, 0, 0, TimeSpan.Zero))).ShouldBe(new DateTime(2026, 12, 2));
        LoanOffice.Web.Components.Shared.Fmt.ChinaToday(new At(new DateTimeOffset(2026, 12, 1, 15, 59, 0, TimeSpan.Zero))).ShouldBe(new DateTime(2026, 12, 1));
    }
}
