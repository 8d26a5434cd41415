using LoanOffice.Domain.Loans;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class ExtensionTests
{
    private static readonly DateOnly Start = new(2026, 1, 15);

    private static (ExtensionTerms Terms, List<InstallmentState> Lines) Loan(RepaymentMethod method = RepaymentMethod.EqualInstallment, int paidInstallments = 3, int months = 12)
    {
        var s = ScheduleCalculator.Build(method, 12_000m, 0.18m, months, Start).Value!;
        var lines = s.Installments.Select(l => l.Number <= paidInstallments
            ? new InstallmentState(l.Number, l.DueDate, l.Principal, l.Interest, l.Principal, l.Interest)
            : new InstallmentState(l.Number, l.DueDate, l.Principal, l.Interest, 0m, 0m)).ToList();
        return (new ExtensionTerms(method, 0.18m, Start, months), lines);
    }

    [Fact]
    public void EqualInstallment_ReschedulesTheRemainingPrincipal_FromTheLastDueDate_ToTheNewMaturity()
    {
        var (terms, lines) = Loan();
        var plan = Extension.Plan(terms, lines, new DateOnly(2026, 4, 20), new DateOnly(2027, 7, 15)).Value!;

        plan.Kept.Select(k => k.Number).ShouldBe([1, 2, 3]);
        plan.OldMaturity.ShouldBe(new DateOnly(2027, 1, 15));
        plan.AddedMonths.ShouldBe(6);
        var balanceAfter3 = 12_000m - lines.Take(3).Sum(l => l.Principal);
        plan.PrincipalRescheduled.ShouldBe(balanceAfter3);
        plan.NewInstallments.Select(i => i.Number).ShouldBe(Enumerable.Range(4, 15));
        plan.NewInstallments[0].DueDate.ShouldBe(new DateOnly(2026, 5, 15));
        plan.NewInstallments[^1].DueDate.ShouldBe(new DateOnly(2027, 7, 15));
        plan.NewInstallments[0].Interest.ShouldBe(decimal.Round(balanceAfter3 * 0.015m, 2, MidpointRounding.AwayFromZero), "a full month's interest on the balance");
        plan.NewInstallments.Sum(i => i.Principal).ShouldBe(balanceAfter3);
        (plan.Kept.Sum(i => i.Principal) + plan.NewInstallments.Sum(i => i.Principal)).ShouldBe(12_000m);
        plan.NewInstallments.SkipLast(1).Select(i => i.Principal + i.Interest).Distinct().ShouldHaveSingleItem()
            .ShouldBeLessThan(lines[3].Principal + lines[3].Interest, "a longer term lowers the installment");
    }

    [Fact]
    public void ThePartlyPaidCurrentInstallment_KeepsWhatWasPaid()
    {
        var (terms, lines) = Loan();
        lines[3] = lines[3] with { InterestPaid = 50m };
        var plan = Extension.Plan(terms, lines, new DateOnly(2026, 4, 20), new DateOnly(2027, 7, 15)).Value!;
        plan.NewInstallments[0].InterestPaid.ShouldBe(50m);
        plan.NewInstallments.Skip(1).ShouldAllBe(i => i.InterestPaid == 0m && i.PrincipalPaid == 0m);
    }

    [Fact]
    public void Bullet_PaysPrincipalAndTheWholeTermsInterestAtTheNewMaturity()
    {
        var (terms, lines) = Loan(RepaymentMethod.Bullet, paidInstallments: 0, months: 6);
        var plan = Extension.Plan(terms, lines, new DateOnly(2026, 3, 1), new DateOnly(2026, 10, 15)).Value!;
        var line = plan.NewInstallments.ShouldHaveSingleItem();
        line.DueDate.ShouldBe(new DateOnly(2026, 10, 15));
        line.Principal.ShouldBe(12_000m);
        line.Interest.ShouldBe(1_620.00m); // 12,000 × 1.5 % × 9 months
    }

    [Fact]
    public void PrepaidInterest_OwesOnlyTheAddedMonthsInterest_WithThePrincipal()
    {
        var (terms, lines) = Loan(RepaymentMethod.PrepaidInterest, paidInstallments: 0, months: 6);
        lines[0] = lines[0] with { InterestPaid = lines[0].Interest }; // line 0: the interest collected up front
        var plan = Extension.Plan(terms, lines, new DateOnly(2026, 3, 1), new DateOnly(2026, 9, 15)).Value!;
        plan.Kept.ShouldHaveSingleItem().Number.ShouldBe(0);
        var line = plan.NewInstallments.ShouldHaveSingleItem();
        (line.Number, line.Principal, line.Interest).ShouldBe((1, 12_000m, 360.00m)); // 2 added months × 180.00
    }

    [Theory]
    [InlineData("2027-01-15", "newMaturity", "after the current one")]
    [InlineData("2027-02-20", "newMaturity", "due day")]
    [InlineData("2028-02-15", "newMaturity", "at most double")]
    public void ABadNewMaturity_IsRefusedWithTheReason(string maturity, string field, string message)
    {
        var (terms, lines) = Loan();
        var error = Extension.Plan(terms, lines, new DateOnly(2026, 4, 20), DateOnly.Parse(maturity, System.Globalization.CultureInfo.InvariantCulture)).Error!;
        error.Field.ShouldBe(field);
        LoanOffice.Web.Hosting.ErrorText.Render(error, System.Globalization.CultureInfo.InvariantCulture).ShouldContain(message);
    }

    [Fact]
    public void AnOverdueLoan_OrAMaturedOne_CannotBeExtended()
    {
        var (terms, lines) = Loan(paidInstallments: 2);
        Extension.Plan(terms, lines, new DateOnly(2026, 4, 20), new DateOnly(2027, 7, 15)).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ExtensionOverdue);
        var (terms12, paidAll) = Loan(paidInstallments: 12);
        Extension.Plan(terms12, paidAll, new DateOnly(2027, 1, 16), new DateOnly(2027, 7, 15)).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ExtensionMatured);
    }
}
