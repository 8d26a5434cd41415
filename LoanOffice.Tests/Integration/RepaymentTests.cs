using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Repayments through the service the loan page uses: allocation, reversal, back-dating, prepayment.</summary>
public class RepaymentTests(IsolatedApp app) : ServicingTestBase(app)
{
    private async Task<T> AsFinance<T>(Func<LoanServicing, Task<T>> action)
    {
        await using var scope = await ActingAs.UserAsync(App.Services, "finance");
        return await action(scope.Get<LoanServicing>());
    }

    private async Task CloseThroughAsync(DateOnly date) =>
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(date, "test")).IsSuccess.ShouldBeTrue();

    private async Task<Data.Origination.Loan> LoanAsync(Guid id)
    {
        await using var db = Sql.Db();
        return await db.Loans.AsNoTracking().Include(l => l.Installments.OrderBy(i => i.Number)).SingleAsync(l => l.Id == id);
    }

    private async Task<List<LoanAccrual>> AccrualsAsync(Guid id)
    {
        await using var db = Sql.Db();
        return await db.LoanAccruals.AsNoTracking().Where(a => a.LoanId == id).OrderBy(a => a.BusinessDate).ToListAsync();
    }

    private static string Reference() => "PAY-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task APayment_GoesToPenaltyThenCompoundThenOverdueInterestThenPrincipal_AndClosesTheCollectionCase()
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 6, 10));
        await CloseThroughAsync(new DateOnly(2025, 7, 20)); // installment 1 (10 Jul) overdue for 10 days
        var accruals = await AccrualsAsync(id);
        var penalty = MoneyRules.RoundToFen(accruals.Where(a => a.Kind == AccrualKind.Penalty).Sum(a => a.Amount));
        var compound = MoneyRules.RoundToFen(accruals.Where(a => a.Kind == AccrualKind.Compound).Sum(a => a.Amount));
        penalty.ShouldBeGreaterThan(0m);
        var loan = await LoanAsync(id);
        var first = loan.Installments[0];
        var amount = penalty + compound + first.Interest + first.Principal;

        var posted = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 7, 21), amount, "BankTransfer", Reference(), loan.Version));

        posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        posted.Value!.Allocation.Lines.Select(l => (l.Component, l.InstallmentNumber, l.Amount)).ShouldBe([
            (AllocationComponent.Penalty, null, penalty),
            (AllocationComponent.Compound, null, compound),
            (AllocationComponent.OverdueInterest, 1, first.Interest),
            (AllocationComponent.OverduePrincipal, 1, first.Principal),
        ]);
        var after = await LoanAsync(id);
        (after.PenaltyPaid, after.CompoundPaid).ShouldBe((penalty, compound));
        (after.Installments[0].PrincipalPaid, after.Installments[0].InterestPaid).ShouldBe((first.Principal, first.Interest));
        await using var db = Sql.Db();
        (await db.CollectionCases.SingleAsync(c => c.LoanId == id)).Status.ShouldBe(CaseStatus.Closed, "current again");
        (await db.LoanTransactions.SingleAsync(t => t.LoanId == id)).Allocation.ShouldContain("OverduePrincipal");
    }

    [Fact]
    public async Task PostingTheSameReferenceTwice_IsRefused_AndAStaleVersionIsAConflict()
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 6, 12));
        await CloseThroughAsync(new DateOnly(2025, 7, 1));
        var loan = await LoanAsync(id);
        var reference = Reference();
        (await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 7, 2), 100m, "Cash", reference, loan.Version))).IsSuccess.ShouldBeTrue();
        var fresh = await LoanAsync(id);
        var again = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 7, 2), 100m, "Cash", reference, fresh.Version));
        again.Error!.Field.ShouldBe("reference");
        var stale = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 7, 2), 100m, "Cash", Reference(), loan.Version));
        stale.Error!.Code.ShouldBe(ErrorCodes.ChangedSinceOpened);
        LoanOffice.Web.Hosting.ErrorText.Render(stale.Error, System.Globalization.CultureInfo.InvariantCulture).ShouldContain("reload");
        var future = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 7, 3), 100m, "Cash", Reference(), fresh.Version));
        future.Error!.Field.ShouldBe("date", "past the loan's open business date");
        await using var db = Sql.Db();
        (await db.LoanTransactions.CountAsync(t => t.LoanId == id)).ShouldBe(1);
    }

    [Fact]
    public async Task OnlyFinancePosts()
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 6, 14));
        var loan = await LoanAsync(id);
        await using var scope = await ActingAs.UserAsync(App.Services, "officer");
        var result = await scope.Get<LoanServicing>().PostRepaymentAsync(id, new DateOnly(2025, 6, 15), 100m, "Cash", Reference(), loan.Version);
        result.Error!.Code.ShouldBe(ErrorCodes.FinanceOnly);
    }

    [Fact]
    public async Task ABackDatedPayment_RecomputesTheAccrualsFromItsDate_AndAReversalRestoresThem()
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 5, 10));
        await CloseThroughAsync(new DateOnly(2025, 6, 20)); // installment 1 (10 Jun) overdue 11–20 Jun
        var before = await AccrualsAsync(id);
        before.Select(a => a.BusinessDate).Distinct().Count().ShouldBe(10);
        var loan = await LoanAsync(id);
        var firstFourDays = before.Where(a => a.BusinessDate < new DateOnly(2025, 6, 15)).ToList();
        var amount = MoneyRules.RoundToFen(firstFourDays.Where(a => a.Kind == AccrualKind.Penalty).Sum(a => a.Amount))
                     + MoneyRules.RoundToFen(firstFourDays.Where(a => a.Kind == AccrualKind.Compound).Sum(a => a.Amount))
                     + loan.Installments[0].Principal + loan.Installments[0].Interest;

        // paid on 15 Jun, booked only now: from the 15th on nothing was overdue
        var posted = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 6, 15), amount, "BankTransfer", Reference(), loan.Version));
        posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        var after = await AccrualsAsync(id);
        after.Select(a => a.BusinessDate).Distinct().ShouldBe(Enumerable.Range(11, 4).Select(d => new DateOnly(2025, 6, d)));
        after.Select(a => (a.BusinessDate, a.Kind, a.Amount)).ShouldBe(firstFourDays.Select(a => (a.BusinessDate, a.Kind, a.Amount)));
        var current = await LoanAsync(id);
        (current.DaysPastDue, current.Class).ShouldBe((0, LoanClass.Normal));

        // reversed (bounced): the loan is overdue again from the 11th, exactly as before
        var tx = posted.Value!.TransactionId;
        var reversed = await AsFinance(s => s.ReverseAsync(id, tx, "退票", current.Version));
        reversed.IsSuccess.ShouldBeTrue(reversed.Error?.Message);
        (await AccrualsAsync(id)).Select(a => (a.BusinessDate, a.Kind, a.Amount)).ShouldBe(before.Select(a => (a.BusinessDate, a.Kind, a.Amount)));
        var restored = await LoanAsync(id);
        restored.Installments[0].PrincipalPaid.ShouldBe(0m);
        (restored.DaysPastDue, restored.Class).ShouldBe((10, LoanClass.SpecialMention));
        await using var db = Sql.Db();
        (await db.LoanTransactions.SingleAsync(t => t.Id == tx)).ReversalReason.ShouldBe("退票");
    }

    [Fact]
    public async Task ALaterPaymentIsReAppliedInDateOrder_WhenAnEarlierOneIsBackDated()
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 4, 3));
        await CloseThroughAsync(new DateOnly(2025, 5, 10));
        var loan = await LoanAsync(id);
        var late = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 5, 11), 300m, "Cash", Reference(), loan.Version));
        late.Value!.Allocation.Lines[0].Component.ShouldBe(AllocationComponent.Penalty, "overdue since 4 May: penalty first");
        var v = (await LoanAsync(id)).Version;
        var early = await AsFinance(s => s.PostRepaymentAsync(id, new DateOnly(2025, 5, 3), 200m, "Cash", Reference(), v));
        // due that very day: installment 1 is the one current installment — its interest, then its principal; no penalty,
        // and nothing on installment 2 (DOMAIN.md: one current installment, never the interest of a later one)
        early.Value!.Allocation.Lines.Select(l => (l.Component, l.InstallmentNumber)).ShouldBe([(AllocationComponent.CurrentInterest, (int?)1), (AllocationComponent.CurrentPrincipal, (int?)1)], "not overdue yet on 3 May");
        await using var db = Sql.Db();
        var reapplied = await db.LoanTransactions.SingleAsync(t => t.Id == late.Value.TransactionId);
        reapplied.Allocation.ShouldNotBe(System.Text.Json.JsonSerializer.Serialize(late.Value.Allocation.Lines), "re-allocated after the earlier payment");
        (await LoanAsync(id)).Installments[0].InterestPaid.ShouldBe((await LoanAsync(id)).Installments[0].Interest);
    }

    [Theory]
    [InlineData(PrepaymentOption.ShortenTerm)]
    [InlineData(PrepaymentOption.LowerInstallment)]
    public async Task APrepayment_ShowsTheNewScheduleFirst_ThenReplacesIt_KeepingTheOriginal(PrepaymentOption option)
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 5));
        await CloseThroughAsync(new DateOnly(2025, 3, 19));
        var loan = await LoanAsync(id);
        var date = new DateOnly(2025, 3, 20);
        var quote = await AsFinance(s => s.QuotePrepaymentAsync(id, date, 3_000m, option));
        quote.IsSuccess.ShouldBeTrue(quote.Error?.Message);
        quote.Value!.DaysSinceLastDueDate.ShouldBe(15);
        quote.Value.InterestForDays.ShouldBe(MoneyRules.RoundToFen(12_000m * 0.18m / 360m * 15));
        if (option == PrepaymentOption.ShortenTerm) quote.Value.NewInstallments.Count.ShouldBeLessThan(12);
        else
        {
            quote.Value.NewInstallments.Count.ShouldBe(12);
            quote.Value.NewInstallments[1].Payment.ShouldBeLessThan(loan.Installments[1].Principal + loan.Installments[1].Interest);
        }

        var posted = await AsFinance(s => s.PostPrepaymentAsync(id, date, 3_000m, option, "BankTransfer", Reference(), loan.Version));
        posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        var after = await LoanAsync(id);
        after.Installments.Select(i => (i.Number, i.DueDate, i.Principal, i.Interest)).ShouldBe(quote.Value.NewInstallments.Select(l => (l.Number, l.DueDate, l.Principal, l.Interest)));
        after.Installments.Sum(i => i.Principal).ShouldBe(9_000m);
        await using var db = Sql.Db();
        (await db.LoanScheduleVersions.SingleAsync(v => v.LoanId == id)).Installments.ShouldContain("\"number\": 12");
        (await db.LoanTransactions.SingleAsync(t => t.LoanId == id)).Amount.ShouldBe(quote.Value.TotalToPay);

        // a repayment after the prepayment (the next day, after that day's close) applies to the new schedule
        await CloseThroughAsync(date);
        var first = after.Installments[0];
        var repay = await AsFinance(async s => await s.PostRepaymentAsync(id, date.AddDays(1), first.Interest, "Cash", Reference(), (await LoanAsync(id)).Version));
        repay.IsSuccess.ShouldBeTrue(repay.Error?.Message);
        (await LoanAsync(id)).Installments[0].InterestPaid.ShouldBe(first.Interest);
    }

    [Fact]
    public async Task APayoffQuote_AddsPenaltyCompoundDueAmountsInterestByDaysAndTheRestOfThePrincipal()
    {
        var id = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 2, 1),
            new TestLoans.Terms(Principal: 10_000m, AnnualRate: 0.18m, Months: 6, Method: RepaymentMethod.InterestOnly));
        await CloseThroughAsync(new DateOnly(2025, 3, 5)); // 150.00 interest due 1 Mar unpaid: 4 days overdue
        var quote = await AsFinance(s => s.PayoffQuoteAsync(id, new DateOnly(2025, 3, 11)));
        quote.IsSuccess.ShouldBeTrue(quote.Error?.Message);
        var q = quote.Value!;
        q.OverdueAndDue.ShouldBe(150.00m);
        q.Compound.ShouldBe(MoneyRules.RoundToFen(150m * 0.00075m * 9)); // 2–10 Mar, projected past the last close
        q.Penalty.ShouldBe(0m);
        q.Days.ShouldBe(10);
        q.InterestForDays.ShouldBe(MoneyRules.RoundToFen(10_000m * 0.18m / 360m * 10));
        q.PrincipalNotYetDue.ShouldBe(10_000m);
        q.Total.ShouldBe(q.Compound + 150m + 50m + 10_000m);
    }
}
