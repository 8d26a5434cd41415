using CsCheck;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Products;
using Shouldly;

namespace LoanOffice.Tests.Domain;

/// <summary>Invariants over thousands of random loans (CsCheck shrinks any counterexample to a minimal one).</summary>
public class PropertyTests
{
    private static readonly Gen<(RepaymentMethod Method, decimal Principal, decimal Rate, int Months, DateOnly Start)> Loans =
        Gen.Select(
            Gen.Int[0, 4].Select(i => (RepaymentMethod)i),
            Gen.Long[1, 500_000_000].Select(fen => fen / 100m),
            Gen.Int[0, 3600].Select(bp => bp / 10_000m),
            Gen.Int[1, 360],
            Gen.Int[0, 3650].Select(d => new DateOnly(2024, 1, 1).AddDays(d)));

    [Fact]
    public void Schedules_PrincipalSumsExactly_BalanceEndsAtZero_NoNegatives_EqualPaymentsButLast()
    {
        Loans.Sample(loan =>
        {
            var s = ScheduleCalculator.Build(loan.Method, loan.Principal, loan.Rate, loan.Months, loan.Start).Value!;
            s.TotalPrincipal.ShouldBe(loan.Principal);
            s.Installments[^1].BalanceAfter.ShouldBe(0m);
            s.Installments.ShouldAllBe(l => l.Principal >= 0m && l.Interest >= 0m && l.Payment >= 0m && l.BalanceAfter >= 0m);
            s.Installments.ShouldAllBe(l => l.Payment == l.Principal + l.Interest);
            s.Installments.ShouldAllBe(l => decimal.Round(l.Payment, 2) == l.Payment);
            if (loan.Method == RepaymentMethod.EqualInstallment)
            {
                s.Installments.Count.ShouldBe(loan.Months);
                s.Installments.SkipLast(1).Select(l => l.Payment).Distinct().Count().ShouldBeLessThanOrEqualTo(1);
            }

            // the balance after each line is the previous balance minus that line's principal
            var balance = loan.Principal;
            foreach (var l in s.Installments)
            {
                balance -= l.Principal;
                l.BalanceAfter.ShouldBe(balance);
            }

            s.Installments.Where(l => l.Number > 0).Select(l => l.DueDate).ShouldBeInOrder(SortDirection.Ascending);
        }, iter: int.Parse(Environment.GetEnvironmentVariable("PROPERTY_ITER") ?? "3000", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Allocation_ConservesMoneyToTheFen_AndNeverTakesMoreThanOwed()
    {
        var gen = Gen.Select(Loans, Gen.Int[0, 400], Gen.Long[1, 100_000_000], Gen.Int[0, 100_000], Gen.Int[0, 100_000]);
        gen.Sample(t =>
        {
            var (loan, daysAfter, payFen, penaltyFen, compoundFen) = t;
            var s = ScheduleCalculator.Build(loan.Method, loan.Principal, loan.Rate, loan.Months, loan.Start).Value!;
            var balance = new LoanBalance(
                s.Installments.Select(l => new InstallmentBalance(l.Number, l.DueDate, l.Principal, l.Interest)).ToList(),
                penaltyFen / 100m, compoundFen / 100m, GraceDays: 3);
            var date = loan.Start.AddDays(daysAfter);
            var due = PaymentAllocator.AmountDue(balance, date);
            var amount = Math.Min(payFen / 100m, due);
            var result = PaymentAllocator.Allocate(balance, date, amount);
            if (amount <= 0m)
            {
                result.IsSuccess.ShouldBeFalse();
                return;
            }

            var allocation = result.Value!;
            allocation.Lines.Sum(l => l.Amount).ShouldBe(amount);
            allocation.Lines.ShouldAllBe(l => l.Amount > 0m);
            allocation.Of(AllocationComponent.Penalty).ShouldBeLessThanOrEqualTo(balance.PenaltyOutstanding);
            foreach (var group in allocation.Lines.Where(l => l.InstallmentNumber is not null).GroupBy(l => l.InstallmentNumber))
            {
                var inst = balance.Installments.Single(i => i.Number == group.Key);
                group.Where(l => l.Component is AllocationComponent.OverduePrincipal or AllocationComponent.CurrentPrincipal).Sum(l => l.Amount)
                    .ShouldBeLessThanOrEqualTo(inst.PrincipalOutstanding);
                group.Where(l => l.Component is AllocationComponent.OverdueInterest or AllocationComponent.CurrentInterest).Sum(l => l.Amount)
                    .ShouldBeLessThanOrEqualTo(inst.InterestOutstanding);
            }

            PaymentAllocator.Allocate(balance, date, due + 0.01m).IsSuccess.ShouldBeFalse();
        }, iter: 2000);
    }

    [Fact]
    public void Aggregation_DecidedFiguresLieBetweenTheLowestAndHighestVote()
    {
        var unit = ApprovalThresholds.Default.AmountUnit;
        var votes = Gen.Select(Gen.Int[100, 5000], Gen.Int[1, 60]).Array[2, 7];
        votes.Sample(vs =>
        {
            var list = vs.Select((v, i) => ApprovalVote.Approved("a" + i, v.Item1 * unit, v.Item2)).ToList();
            var result = ApprovalAggregation.Aggregate(list, ApprovalThresholds.Default).Value!;
            if (result.Amount is { } amount)
            {
                amount.ShouldBeGreaterThanOrEqualTo(list.Min(v => v.Amount));
                amount.ShouldBeLessThanOrEqualTo(list.Max(v => v.Amount));
                (amount % unit).ShouldBe(0m);
            }

            if (result.Months is { } months)
            {
                months.ShouldBeGreaterThanOrEqualTo(list.Min(v => v.Months));
                months.ShouldBeLessThanOrEqualTo(list.Max(v => v.Months));
            }

            (result.Outcome == AggregationOutcome.Decided).ShouldBe(result.Amount is not null && result.Months is not null);
        }, iter: 3000);
    }
}
