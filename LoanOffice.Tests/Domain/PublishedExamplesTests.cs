using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

/// <summary>Schedules checked against worked examples published elsewhere.</summary>
public class PublishedExamplesTests
{
    private static readonly DateOnly Start = new(2026, 3, 10);

    // Microsoft Excel documentation, PMT function: =PMT(8%/12, 10, 10000) → ($1,037.03).
    [Fact]
    public void ExcelPmtDocumentation_8PercentTenMonths10000()
    {
        ScheduleCalculator.AnnuityPayment(10000m, Rate.FromAnnual(0.08m), 10).ShouldBe(1037.03m);
    }

    // Microsoft Excel documentation, PPMT function: =PPMT(10%/12, 1, 2*12, 2000) → ($75.62), the principal part of
    // the first payment on 2,000 at 10 % over two years (payment 92.29, interest 16.67).
    [Fact]
    public void ExcelPpmtDocumentation_FirstPrincipalPartOf2000At10PercentTwoYears()
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 2000m, 0.10m, 24, Start).Value!;
        s.Installments[0].Payment.ShouldBe(92.29m);
        s.Installments[0].Interest.ShouldBe(16.67m);
        s.Installments[0].Principal.ShouldBe(75.62m);
    }

    // Chinese bank calculators (e.g. 中国建设银行 / 招商银行 房贷计算器): 100万, 30 年, 4.9 %, 等额本息 → 月供 5307.27.
    [Fact]
    public void ChineseBankCalculator_OneMillion30Years4Point9_EqualInstallment()
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 1_000_000m, 0.049m, 360, Start).Value!;
        s.Installments[0].Payment.ShouldBe(5307.27m);
        s.Installments[0].Interest.ShouldBe(4083.33m);
    }

    // Same calculators, 等额本金: first month 6861.11 (2777.78 principal + 4083.33 interest), falling ~11.34 a month.
    [Fact]
    public void ChineseBankCalculator_OneMillion30Years4Point9_EqualPrincipal()
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.EqualPrincipal, 1_000_000m, 0.049m, 360, Start).Value!;
        s.Installments[0].Principal.ShouldBe(2777.78m);
        s.Installments[0].Payment.ShouldBe(6861.11m);
        (s.Installments[0].Payment - s.Installments[1].Payment).ShouldBe(11.34m);
    }

    // Standard US mortgage tables (e.g. Bankrate, CFPB examples): $200,000 at 6.5 % for 30 years → $1,264.14;
    // $100,000 at 6 % for 30 years → $599.55.
    [Theory]
    [InlineData(200_000, 0.065, 360, 1264.14)]
    [InlineData(100_000, 0.06, 360, 599.55)]
    public void MortgageTables_MonthlyPayment(decimal principal, decimal rate, int months, decimal payment)
    {
        var s = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, principal, rate, months, Start).Value!;
        s.Installments[0].Payment.ShouldBe(payment);
        s.Installments[^1].BalanceAfter.ShouldBe(0m);
    }
}
