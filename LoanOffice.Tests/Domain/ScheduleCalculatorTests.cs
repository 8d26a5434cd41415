using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class ScheduleCalculatorTests
{
    private static readonly DateOnly Jan15 = new(2026, 1, 15);

    private static RepaymentSchedule Build(RepaymentMethod method, decimal principal, decimal rate, int months, DateOnly? start = null)
    {
        var result = ScheduleCalculator.Build(method, principal, rate, months, start ?? Jan15);
        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        return result.Value!;
    }

    [Fact]
    public void EqualInstallment_IssueExample_MatchesToTheFen()
    {
        var s = Build(RepaymentMethod.EqualInstallment, 10000m, 0.08m, 10);
        s.Installments.Count.ShouldBe(10);
        s.Installments[0].ShouldBe(new ScheduleLine(1, new DateOnly(2026, 2, 15), 970.36m, 66.67m, 1037.03m, 9029.64m));
        s.Installments.Take(9).ShouldAllBe(l => l.Payment == 1037.03m);
        s.Installments[^1].ShouldBe(new ScheduleLine(10, new DateOnly(2026, 11, 15), 1030.20m, 6.87m, 1037.07m, 0m));
        s.TotalPrincipal.ShouldBe(10000.00m);
        s.TotalInterest.ShouldBe(370.34m);
        s.TotalPayment.ShouldBe(10370.34m);
    }

    [Fact]
    public void EqualInstallment_LongTermHighRate_NeverEndsWithZeroInstallments()
    {
        // CsCheck found it: 26.4978 rounds to 26.50, which over 283 periods at 2.69 %/month repays the loan early
        var s = Build(RepaymentMethod.EqualInstallment, 984.80m, 0.3227m, 283, new DateOnly(2027, 12, 11));
        s.Installments.Count.ShouldBe(283);
        s.Installments.ShouldAllBe(l => l.Payment > 0m && l.Principal > 0m);
        s.Installments.SkipLast(1).Select(l => l.Payment).Distinct().ShouldHaveSingleItem().ShouldBe(26.49m);
        s.TotalPrincipal.ShouldBe(984.80m);
        s.Installments[^1].BalanceAfter.ShouldBe(0m);
        s.Installments[^2].BalanceAfter.ShouldBeGreaterThan(0m);
    }

    [Fact]
    public void EqualPrincipal_PrincipalIsEqualAndInterestFollowsTheBalance()
    {
        var s = Build(RepaymentMethod.EqualPrincipal, 10000m, 0.12m, 3);
        s.Installments.Select(l => l.Principal).ShouldBe([3333.33m, 3333.33m, 3333.34m]);
        s.Installments.Select(l => l.Interest).ShouldBe([100.00m, 66.67m, 33.33m]);
        s.Installments.Select(l => l.Payment).ShouldBe([3433.33m, 3400.00m, 3366.67m]);
        s.Installments[^1].BalanceAfter.ShouldBe(0m);
    }

    [Fact]
    public void InterestOnly_PaysInterestMonthlyAndAllPrincipalLast()
    {
        var s = Build(RepaymentMethod.InterestOnly, 50000m, 0.096m, 6);
        s.Installments.Take(5).ShouldAllBe(l => l.Principal == 0m && l.Interest == 400.00m && l.BalanceAfter == 50000m);
        s.Installments[^1].ShouldBe(new ScheduleLine(6, new DateOnly(2026, 7, 15), 50000m, 400m, 50400m, 0m));
        s.TotalInterest.ShouldBe(2400.00m);
    }

    [Fact]
    public void Bullet_OnePaymentAtMonthN()
    {
        var s = Build(RepaymentMethod.Bullet, 20000m, 0.15m, 9);
        s.Installments.ShouldHaveSingleItem().ShouldBe(new ScheduleLine(1, new DateOnly(2026, 10, 15), 20000m, 2250.00m, 22250.00m, 0m));
    }

    [Fact]
    public void PrepaidInterest_InterestIsLineZeroOnTheDisbursementDate_PrincipalAtMaturity()
    {
        var s = Build(RepaymentMethod.PrepaidInterest, 30000m, 0.10m, 12);
        s.Installments.Count.ShouldBe(2);
        s.Installments[0].ShouldBe(new ScheduleLine(0, Jan15, 0m, 3000.00m, 3000.00m, 30000m));
        s.Installments[1].ShouldBe(new ScheduleLine(1, new DateOnly(2027, 1, 15), 30000m, 0m, 30000m, 0m));
        // 砍头息 is unlawful: the principal lent (and repaid) is the full amount, the interest is a separate line
        s.TotalPrincipal.ShouldBe(30000m);
    }

    [Fact]
    public void DueDates_FromJan31_ClampToMonthEndAndComeBack()
    {
        var s = Build(RepaymentMethod.EqualInstallment, 12000m, 0.06m, 4, new DateOnly(2026, 1, 31));
        s.Installments.Select(l => l.DueDate).ShouldBe([new(2026, 2, 28), new(2026, 3, 31), new(2026, 4, 30), new(2026, 5, 31)]);
    }

    [Fact]
    public void DueDates_InALeapYear_UseFeb29()
    {
        var s = Build(RepaymentMethod.EqualPrincipal, 1200m, 0.06m, 13, new DateOnly(2027, 1, 30));
        s.Installments[0].DueDate.ShouldBe(new DateOnly(2027, 2, 28));
        s.Installments[11].DueDate.ShouldBe(new DateOnly(2028, 1, 30));
        s.Installments[12].DueDate.ShouldBe(new DateOnly(2028, 2, 29));
        Build(RepaymentMethod.Bullet, 1000m, 0.06m, 1, new DateOnly(2028, 1, 29)).Installments[0].DueDate.ShouldBe(new DateOnly(2028, 2, 29));
        Build(RepaymentMethod.Bullet, 1000m, 0.06m, 12, new DateOnly(2028, 2, 29)).Installments[0].DueDate.ShouldBe(new DateOnly(2029, 2, 28));
    }

    [Theory]
    [InlineData(29)]
    [InlineData(30)]
    [InlineData(31)]
    public void DueDates_StartingLateInTheMonth_AreNeverLaterThanTheStartDay(int day)
    {
        var start = new DateOnly(2026, 1, day);
        var s = Build(RepaymentMethod.EqualInstallment, 5000m, 0.1m, 24, start);
        foreach (var l in s.Installments)
        {
            var expectedDay = Math.Min(day, DateTime.DaysInMonth(l.DueDate.Year, l.DueDate.Month));
            l.DueDate.Day.ShouldBe(expectedDay);
        }
    }

    [Fact]
    public void OneMonthLoan_IsASinglePaymentOfPrincipalPlusOneMonthsInterest()
    {
        var s = Build(RepaymentMethod.EqualInstallment, 10000m, 0.12m, 1);
        s.Installments.ShouldHaveSingleItem().ShouldBe(new ScheduleLine(1, new DateOnly(2026, 2, 15), 10000m, 100m, 10100m, 0m));
    }

    [Fact]
    public void ThreeHundredSixtyMonths_EndsAtZeroWithEqualPayments()
    {
        var s = Build(RepaymentMethod.EqualInstallment, 1_000_000m, 0.049m, 360);
        s.Installments.Count.ShouldBe(360);
        s.Installments.Take(359).Select(l => l.Payment).Distinct().ShouldHaveSingleItem().ShouldBe(5307.27m);
        s.Installments[^1].BalanceAfter.ShouldBe(0m);
        s.TotalPrincipal.ShouldBe(1_000_000m);
        s.Installments[^1].DueDate.ShouldBe(new DateOnly(2056, 1, 15));
    }

    [Fact]
    public void RateZero_HasNoInterestAndSplitsPrincipalEvenly()
    {
        var s = Build(RepaymentMethod.EqualInstallment, 1000m, 0m, 3);
        s.Installments.Select(l => l.Payment).ShouldBe([333.33m, 333.33m, 333.34m]);
        s.TotalInterest.ShouldBe(0m);
        Build(RepaymentMethod.Bullet, 1000m, 0m, 3).TotalInterest.ShouldBe(0m);
    }

    [Theory]
    [InlineData(RepaymentMethod.EqualInstallment)]
    [InlineData(RepaymentMethod.EqualPrincipal)]
    [InlineData(RepaymentMethod.InterestOnly)]
    [InlineData(RepaymentMethod.Bullet)]
    [InlineData(RepaymentMethod.PrepaidInterest)]
    public void OneFen_OverTwelveMonths_KeepsTheInvariants(RepaymentMethod method)
    {
        var s = Build(method, 0.01m, 0.24m, 12);
        s.TotalPrincipal.ShouldBe(0.01m);
        s.Installments[^1].BalanceAfter.ShouldBe(0m);
        s.Installments.ShouldAllBe(l => l.Principal >= 0m && l.Interest >= 0m && l.BalanceAfter >= 0m);
    }

    [Fact]
    public void EqualPrincipal_TinyPrincipalOverManyMonths_NeverOverpays()
    {
        var s = Build(RepaymentMethod.EqualPrincipal, 0.05m, 0.1m, 10); // round(0.005) = 0.01 per month would overshoot
        s.TotalPrincipal.ShouldBe(0.05m);
        s.Installments.ShouldAllBe(l => l.BalanceAfter >= 0m);
        s.Installments.Count.ShouldBe(10);
    }

    [Theory]
    [InlineData(0, 0.08, 12, "principal")]
    [InlineData(-5, 0.08, 12, "principal")]
    [InlineData(100.001, 0.08, 12, "principal")]
    [InlineData(1000, 1.0, 12, "annualRate")]
    [InlineData(1000, -0.01, 12, "annualRate")]
    [InlineData(1000, 0.08, 0, "months")]
    [InlineData(1000, 0.08, 361, "months")]
    public void Build_BadInput_IsRefusedNamingTheField(decimal principal, decimal rate, int months, string field)
    {
        var result = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, principal, rate, months, Jan15);
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Field.ShouldBe(field);
    }
}
