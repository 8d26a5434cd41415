using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class OverdueAndClassificationTests
{
    [Fact]
    public void Compound_ThirtyDaysOn150OverdueInterestAt0Point075PercentDaily_Is3Point38Due()
    {
        // annual 18 % with a 50 % markup → 0.18 / 360 × 1.5 = 0.075 % a day
        OverdueAccrual.PenaltyAnnualRate(0.18m, 0.5m).ShouldBe(0.27m);
        var days = Enumerable.Range(0, 30).Select(d => OverdueAccrual.ForDay(new DateOnly(2026, 5, 1).AddDays(d), 0m, 150.00m, 0.18m, 0.5m)).ToList();
        days.ShouldAllBe(d => d.Compound == 0.1125m);
        OverdueAccrual.AmountDue(days.Select(d => d.Compound)).ShouldBe(3.38m);
    }

    [Fact]
    public void Penalty_ExactHalfAtTheSixthDecimal_RoundsUp_BecauseTheRateIsNeverDividedFirst()
    {
        // 9 × 0.049 × 1.3 / 360 = 0.0015925 exactly → 0.001593 (half up); the 18-digit daily rate stored before,
        // 0.000176944444444444, is below the true rate and gave 0.0015924999… → 0.001592
        OverdueAccrual.Daily(9m, OverdueAccrual.PenaltyAnnualRate(0.049m, 0.3m)).ShouldBe(0.001593m);
        Math.Round(9m * Math.Round(0.049m / 360m * 1.3m, 18), 6, MidpointRounding.AwayFromZero).ShouldBe(0.001592m); // the old, divided-first figure
    }

    [Fact]
    public void Penalty_IsOverduePrincipalTimesTheDailyPenaltyRate_KeptToSixDecimals()
    {
        var day = OverdueAccrual.ForDay(new DateOnly(2026, 5, 1), 1234.57m, 0m, 0.1m, 0.3m);
        // 1234.57 × 0.1 / 360 × 1.3 = 0.445816…
        day.Penalty.ShouldBe(0.445817m);
        day.Compound.ShouldBe(0m);
    }

    [Fact]
    public void ForDay_FromInstallments_CountsOnlyOverdueAmounts()
    {
        var installments = new[]
        {
            new InstallmentBalance(1, new DateOnly(2026, 4, 1), 1000m, 100m),
            new InstallmentBalance(2, new DateOnly(2026, 4, 28), 1000m, 90m), // within 3 grace days on May 1
            new InstallmentBalance(3, new DateOnly(2026, 5, 28), 1000m, 80m),
        };
        var day = OverdueAccrual.ForDay(new DateOnly(2026, 5, 1), installments, 3, 0.18m, 0.5m);
        day.Penalty.ShouldBe(0.75m);
        day.Compound.ShouldBe(0.075m);
        OverdueAccrual.DaysPastDue(installments, new DateOnly(2026, 5, 1), 3).ShouldBe(30);
    }

    [Theory]
    [InlineData(0, LoanClass.Normal)]
    [InlineData(1, LoanClass.SpecialMention)]
    [InlineData(90, LoanClass.SpecialMention)]
    [InlineData(91, LoanClass.Substandard)]
    [InlineData(270, LoanClass.Substandard)]
    [InlineData(271, LoanClass.Doubtful)]
    [InlineData(360, LoanClass.Doubtful)]
    [InlineData(361, LoanClass.Loss)]
    public void Classification_FollowsTheDpdBands(int dpd, LoanClass expected) => Classification.FromDaysPastDue(dpd).ShouldBe(expected);

    [Fact]
    public void ManualClassification_CanOnlyWorsen_AndNeedsAReason()
    {
        Classification.SetManually(LoanClass.Substandard, LoanClass.Doubtful, "borrower absconded").Value.ShouldBe(LoanClass.Doubtful);
        Classification.SetManually(LoanClass.Substandard, LoanClass.Normal, "paid a little").Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ClassBetterThanDpd);
        Classification.SetManually(LoanClass.Normal, LoanClass.Loss, " ").Error!.Field.ShouldBe("reason");
        Classification.ManualToKeep(LoanClass.Substandard, LoanClass.Doubtful).ShouldBe(LoanClass.Doubtful);
        Classification.ManualToKeep(LoanClass.Substandard, LoanClass.Substandard).ShouldBeNull("the DPD class itself lifts the manual one");
        Classification.Effective(LoanClass.Substandard, LoanClass.SpecialMention).ShouldBe(LoanClass.Substandard);
        Classification.Effective(LoanClass.Normal, LoanClass.Doubtful).ShouldBe(LoanClass.Doubtful);
    }
}
