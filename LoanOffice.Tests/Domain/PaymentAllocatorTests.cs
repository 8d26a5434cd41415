using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class PaymentAllocatorTests
{
    // Two overdue installments (Jan, Feb), a current one (Mar), one in the future (Apr); grace 3 days.
    private static LoanBalance Loan(decimal penalty = 12.34m, decimal compound = 1.66m) => new(
    [
        new InstallmentBalance(1, new DateOnly(2026, 1, 10), 1000m, 100m),
        new InstallmentBalance(2, new DateOnly(2026, 2, 10), 1000m, 90m),
        new InstallmentBalance(3, new DateOnly(2026, 3, 10), 1000m, 80m),
        new InstallmentBalance(4, new DateOnly(2026, 4, 10), 1000m, 70m),
    ], penalty, compound, GraceDays: 3);

    private static readonly DateOnly PayDate = new(2026, 3, 1);

    [Fact]
    public void Allocate_FullAmountDue_FollowsTheLegalOrder()
    {
        var loan = Loan();
        PaymentAllocator.AmountDue(loan, PayDate).ShouldBe(12.34m + 1.66m + 190m + 2000m + 80m + 1000m);
        var a = PaymentAllocator.Allocate(loan, PayDate, 3284.00m).Value!;
        a.Lines.Select(l => (l.Component, l.InstallmentNumber, l.Amount)).ShouldBe(
        [
            (AllocationComponent.Penalty, null, 12.34m),
            (AllocationComponent.Compound, null, 1.66m),
            (AllocationComponent.OverdueInterest, 1, 100m),
            (AllocationComponent.OverdueInterest, 2, 90m),
            (AllocationComponent.OverduePrincipal, 1, 1000m),
            (AllocationComponent.OverduePrincipal, 2, 1000m),
            (AllocationComponent.CurrentInterest, 3, 80m),
            (AllocationComponent.CurrentPrincipal, 3, 1000m),
        ]);
    }

    [Fact]
    public void Allocate_PartialPayment_StopsInsideOverduePrincipalOfTheOldestInstallment()
    {
        var a = PaymentAllocator.Allocate(Loan(), PayDate, 500m).Value!;
        a.Of(AllocationComponent.Penalty).ShouldBe(12.34m);
        a.Of(AllocationComponent.Compound).ShouldBe(1.66m);
        a.Of(AllocationComponent.OverdueInterest).ShouldBe(190m);
        a.Lines[^1].ShouldBe(new AllocationLine(AllocationComponent.OverduePrincipal, 1, 296.00m));
        a.Of(AllocationComponent.CurrentInterest).ShouldBe(0m);
    }

    [Fact]
    public void Allocate_ExactlyThePenalty_CoversOnlyThePenalty()
    {
        var a = PaymentAllocator.Allocate(Loan(), PayDate, 12.34m).Value!;
        a.Lines.ShouldHaveSingleItem().ShouldBe(new AllocationLine(AllocationComponent.Penalty, null, 12.34m));
    }

    [Fact]
    public void Allocate_MoreThanDue_IsRefusedWithTheAmountDue()
    {
        var result = PaymentAllocator.Allocate(Loan(), PayDate, 3284.01m);
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe(ErrorCodes.Overpayment);
        result.Error.Args.ShouldBe([3284.01m, 3284.00m, PayDate]);
        result.Error.Field.ShouldBe("amount");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1.001)]
    public void Allocate_ZeroNegativeOrSubFenAmount_IsRefused(decimal amount) =>
        PaymentAllocator.Allocate(Loan(), PayDate, amount).Error!.Field.ShouldBe("amount");

    [Fact]
    public void GraceDays_KeepAnInstallmentCurrentUntilTheyPass()
    {
        var loan = Loan(0m, 0m) with { Installments = [new InstallmentBalance(1, new DateOnly(2026, 3, 10), 1000m, 50m), new InstallmentBalance(2, new DateOnly(2026, 4, 10), 1000m, 40m)] };
        var withinGrace = PaymentAllocator.Allocate(loan, new DateOnly(2026, 3, 13), 50m).Value!;
        withinGrace.Lines.ShouldHaveSingleItem().Component.ShouldBe(AllocationComponent.CurrentInterest);
        var afterGrace = PaymentAllocator.Allocate(loan, new DateOnly(2026, 3, 14), 50m).Value!;
        afterGrace.Lines.ShouldHaveSingleItem().Component.ShouldBe(AllocationComponent.OverdueInterest);
    }

    [Fact]
    public void LastInstallmentOverdue_IsAllocatedAsOverdue()
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.Bullet, 10000m, 0.12m, 3, new DateOnly(2026, 1, 5)).Value!;
        var loan = new LoanBalance(s.Installments.Select(l => new InstallmentBalance(l.Number, l.DueDate, l.Principal, l.Interest)).ToList(), 5m, 0m, 0);
        var date = new DateOnly(2026, 4, 20);
        OverdueAccrual.DaysPastDue(loan.Installments, date, 0).ShouldBe(15);
        var a = PaymentAllocator.Allocate(loan, date, 10305m).Value!;
        a.Of(AllocationComponent.OverdueInterest).ShouldBe(300m);
        a.Of(AllocationComponent.OverduePrincipal).ShouldBe(10000m);
        a.Of(AllocationComponent.CurrentPrincipal).ShouldBe(0m);
    }
}
