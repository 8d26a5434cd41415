using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>A loan's terms as an extension needs them.</summary>
public sealed record ExtensionTerms(RepaymentMethod Method, decimal AnnualRate, DateOnly DisbursedOn, int OriginalMonths);

/// <summary>An extension worked out: the installments kept, the ones that replace the rest, and the new maturity.</summary>
public sealed record ExtensionPlan(
    DateOnly EffectiveOn,
    DateOnly OldMaturity,
    DateOnly NewMaturity,
    int AddedMonths,
    decimal PrincipalRescheduled,
    IReadOnlyList<InstallmentState> Kept,
    IReadOnlyList<InstallmentState> NewInstallments);

/// <summary>
/// 展期: the schedule is regenerated from the extension date to a later maturity on the loan's due day. Installments
/// due before the extension date stay as they were and must be paid; the principal of the rest is rescheduled with
/// the loan's own method and rate from the last due date before the extension (so the first new period is a full
/// month): equal installment / equal principal / interest-only over the months left; a bullet pays principal plus
/// interest for the whole term at the new maturity; a prepaid-interest loan owes the interest of the added months
/// with the principal. Amounts already paid on a replaced installment are carried to the installment with the same
/// number. Extensions together may at most double the original term (短期贷款展期累计不超过原贷款期限) and never pass
/// 360 months.
/// </summary>
public static class Extension
{
    public static Result<ExtensionPlan> Plan(ExtensionTerms terms, IReadOnlyList<InstallmentState> installments, DateOnly effectiveOn, DateOnly newMaturity)
    {
        var lines = installments.OrderBy(i => i.Number).ToList();
        var kept = lines.Where(i => i.DueDate < effectiveOn).ToList();
        var remaining = lines.Where(i => i.DueDate >= effectiveOn).ToList();
        if (remaining.Count == 0)
            return Error.Of(ErrorCodes.ExtensionMatured);
        if (kept.FirstOrDefault(i => i.PrincipalOutstanding > 0m || i.InterestOutstanding > 0m) is { } unpaid)
            return Error.Of(ErrorCodes.ExtensionOverdue, unpaid.Number, unpaid.DueDate);

        var oldMaturity = lines[^1].DueDate;
        if (newMaturity <= oldMaturity)
            return Error.Of(ErrorCodes.ExtensionNotLater, oldMaturity).At("newMaturity");
        var totalMonths = MonthIndex(terms.DisbursedOn, newMaturity);
        if (ScheduleCalculator.DueDate(terms.DisbursedOn, totalMonths) != newMaturity)
            return Error.Of(ErrorCodes.ExtensionNotOnDueDay, ScheduleCalculator.DueDate(terms.DisbursedOn, totalMonths), ScheduleCalculator.DueDate(terms.DisbursedOn, totalMonths + 1)).At("newMaturity");
        var maxMonths = Math.Min(2 * terms.OriginalMonths, Term.MaxMonths);
        if (totalMonths > maxMonths)
            return Error.Of(ErrorCodes.ExtensionTooLong, terms.OriginalMonths, ScheduleCalculator.DueDate(terms.DisbursedOn, maxMonths)).At("newMaturity");

        var anchor = kept.Where(i => i.Number > 0).Select(i => i.DueDate).DefaultIfEmpty(terms.DisbursedOn).Max();
        var anchorMonth = MonthIndex(terms.DisbursedOn, anchor);
        var periods = totalMonths - anchorMonth;
        var principal = remaining.Sum(i => i.Principal);
        var r = Rate.FromAnnual(terms.AnnualRate);
        var first = remaining[0].Number;
        var addedMonths = totalMonths - MonthIndex(terms.DisbursedOn, oldMaturity);
        IEnumerable<ScheduleLine> regenerated = terms.Method switch
        {
            RepaymentMethod.EqualInstallment => ScheduleCalculator.EqualInstallment(principal, r, terms.DisbursedOn, anchorMonth + 1, periods, null, null),
            RepaymentMethod.EqualPrincipal => ScheduleCalculator.EqualPrincipal(principal, r, terms.DisbursedOn, anchorMonth + 1, periods, null, null),
            RepaymentMethod.InterestOnly => ScheduleCalculator.InterestOnly(principal, r, terms.DisbursedOn, anchorMonth + 1, periods, null),
            RepaymentMethod.Bullet => [ScheduleCalculator.Line(first, newMaturity, principal, ScheduleCalculator.Round(r.ForMonths(principal, totalMonths)), 0m)],
            RepaymentMethod.PrepaidInterest => [ScheduleCalculator.Line(first, newMaturity, principal, ScheduleCalculator.Round(r.ForMonths(principal, addedMonths)), 0m)],
            _ => throw new InvalidOperationException("unreachable"),
        };

        var paidByNumber = remaining.ToDictionary(i => i.Number);
        var fresh = new List<InstallmentState>();
        foreach (var line in regenerated)
        {
            var paid = paidByNumber.GetValueOrDefault(line.Number);
            var (principalPaid, interestPaid) = (paid?.PrincipalPaid ?? 0m, paid?.InterestPaid ?? 0m);
            if (principalPaid > line.Principal || interestPaid > line.Interest)
                return Error.Of(ErrorCodes.ExtensionPaidBeyondNewAmount, line.Number, line.DueDate);
            fresh.Add(new InstallmentState(line.Number, line.DueDate, line.Principal, line.Interest, principalPaid, interestPaid));
        }

        if (remaining.Where(i => i.PrincipalPaid > 0m || i.InterestPaid > 0m).Any(i => fresh.All(f => f.Number != i.Number)))
            return Error.Of(ErrorCodes.ExtensionPartlyPaidReplaced);

        return new ExtensionPlan(effectiveOn, oldMaturity, newMaturity, addedMonths, principal, kept, fresh);
    }

    /// <summary>Whole months from <paramref name="start"/> to <paramref name="date"/> by calendar month.</summary>
    public static int MonthIndex(DateOnly start, DateOnly date) => (date.Year - start.Year) * 12 + date.Month - start.Month;
}
