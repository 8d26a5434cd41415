using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class PrepaymentTests
{
    private static readonly RepaymentSchedule Schedule =
        ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 120_000m, 0.12m, 12, new DateOnly(2026, 1, 10)).Value!;

    [Fact]
    public void Quote_ChargesInterestByActualDaysAtAnnualOver360()
    {
        // three installments paid (Feb, Mar, Apr 10); prepaid on Apr 25 = 15 days after the last due date
        var q = Prepayment.Quote(Schedule, new DateOnly(2026, 4, 25), 30_000m, PrepaymentOption.LowerInstallment).Value!;
        q.OutstandingBefore.ShouldBe(Schedule.Installments[2].BalanceAfter);
        q.DaysSinceLastDueDate.ShouldBe(15);
        q.InterestForDays.ShouldBe(Math.Round(q.OutstandingBefore * 0.12m / 360m * 15m, 2, MidpointRounding.AwayFromZero));
        q.TotalToPay.ShouldBe(q.InterestForDays + 30_000m);
    }

    [Fact]
    public void LowerInstallment_KeepsTheMaturityAndLowersThePayment()
    {
        var q = Prepayment.Quote(Schedule, new DateOnly(2026, 4, 25), 30_000m, PrepaymentOption.LowerInstallment).Value!;
        q.NewInstallments.Count.ShouldBe(9);
        q.NewInstallments[0].Number.ShouldBe(4);
        q.NewInstallments[^1].DueDate.ShouldBe(Schedule.MaturityDate);
        q.NewInstallments[^1].BalanceAfter.ShouldBe(0m);
        q.NewInstallments.Sum(l => l.Principal).ShouldBe(q.OutstandingBefore - 30_000m);
        q.NewInstallments[1].Payment.ShouldBeLessThan(Schedule.Installments[4].Payment);
        // the broken period to the next due date (May 10, 15 days) is charged by days on the new balance
        q.NewInstallments[0].Interest.ShouldBe(Math.Round((q.OutstandingBefore - 30_000m) * 0.12m / 360m * 15m, 2, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void ShortenTerm_KeepsThePaymentAndEndsEarlier()
    {
        var q = Prepayment.Quote(Schedule, new DateOnly(2026, 4, 25), 30_000m, PrepaymentOption.ShortenTerm).Value!;
        q.NewInstallments.Count.ShouldBeLessThan(9);
        q.NewInstallments.SkipLast(1).ShouldAllBe(l => l.Payment == Schedule.Installments[0].Payment);
        q.NewInstallments[^1].BalanceAfter.ShouldBe(0m);
        q.NewInstallments.Sum(l => l.Principal).ShouldBe(q.OutstandingBefore - 30_000m);
        q.NewInstallments[^1].DueDate.ShouldBeLessThan(Schedule.MaturityDate);
    }

    [Fact]
    public void FullPrepayment_SettlesTheLoan()
    {
        var outstanding = Schedule.Installments[2].BalanceAfter;
        var q = Prepayment.Quote(Schedule, new DateOnly(2026, 4, 10), outstanding, PrepaymentOption.ShortenTerm).Value!;
        q.DaysSinceLastDueDate.ShouldBe(0);
        q.InterestForDays.ShouldBe(0m);
        q.SettlesTheLoan.ShouldBeTrue();
        q.TotalToPay.ShouldBe(outstanding);
    }

    [Fact]
    public void Quote_MoreThanOutstanding_OrShortenOnInterestOnly_IsRefused()
    {
        Prepayment.Quote(Schedule, new DateOnly(2026, 4, 25), 1_000_000m, PrepaymentOption.ShortenTerm).Error!.Field.ShouldBe("principal");
        var io = ScheduleCalculator.Build(RepaymentMethod.InterestOnly, 10_000m, 0.1m, 6, new DateOnly(2026, 1, 1)).Value!;
        Prepayment.Quote(io, new DateOnly(2026, 2, 15), 1000m, PrepaymentOption.ShortenTerm).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.OptionNotApplicable);
        var lower = Prepayment.Quote(io, new DateOnly(2026, 2, 15), 1000m, PrepaymentOption.LowerInstallment).Value!;
        lower.NewInstallments[^1].Principal.ShouldBe(9000m);
    }

    [Fact]
    public void EqualPrincipal_ShortenTerm_KeepsThePrincipalPart()
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.EqualPrincipal, 12_000m, 0.12m, 12, new DateOnly(2026, 1, 10)).Value!;
        var q = Prepayment.Quote(s, new DateOnly(2026, 3, 20), 3_000m, PrepaymentOption.ShortenTerm).Value!;
        q.NewInstallments.SkipLast(1).ShouldAllBe(l => l.Principal == 1000m);
        q.NewInstallments.Count.ShouldBe(7);
        q.NewInstallments.Sum(l => l.Principal).ShouldBe(7000m);
    }
}
