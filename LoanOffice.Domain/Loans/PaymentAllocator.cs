using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>What is still owed on one installment.</summary>
public sealed record InstallmentBalance(int Number, DateOnly DueDate, decimal PrincipalOutstanding, decimal InterestOutstanding);

/// <summary>A loan's open balances on a date: installments, plus accrued penalty and compound interest already rounded to the fen.</summary>
public sealed record LoanBalance(IReadOnlyList<InstallmentBalance> Installments, decimal PenaltyOutstanding, decimal CompoundOutstanding, int GraceDays);

/// <summary>Where a payment goes, in this order (先罚息, 后利息, 再本金).</summary>
public enum AllocationComponent
{
    Penalty,
    Compound,
    OverdueInterest,
    OverduePrincipal,
    CurrentInterest,
    CurrentPrincipal,
}

public sealed record AllocationLine(AllocationComponent Component, int? InstallmentNumber, decimal Amount);

public sealed record Allocation(decimal Amount, IReadOnlyList<AllocationLine> Lines)
{
    public decimal Of(AllocationComponent component) => Lines.Where(l => l.Component == component).Sum(l => l.Amount);
}

/// <summary>
/// Allocates a repayment: penalty → compound → overdue interest (oldest first) → overdue principal (oldest first) →
/// the current installment's interest → its principal. An installment is overdue once its due date plus the grace
/// days has passed; the current installment is the one earliest installment neither overdue nor fully paid. More than
/// is due is refused: paying ahead of the schedule is a prepayment. Paying exactly a statement's installment on time
/// therefore settles it: equal installment 12,000 at 18 % over 12 months, 1,100.16 on the first due date → installment
/// 1 paid (interest 180.00, principal 920.16), nothing on installment 2.
/// </summary>
public static class PaymentAllocator
{
    public static bool IsOverdue(InstallmentBalance installment, DateOnly date, int graceDays) =>
        installment.PrincipalOutstanding + installment.InterestOutstanding > 0m && date > installment.DueDate.AddDays(graceDays);

    /// <summary>
    /// What is overdue on <paramref name="date"/>: the unpaid principal and interest of the installments past due plus
    /// grace (the figure a loan row keeps; SQL twin: lo_refresh_positions).
    /// </summary>
    public static decimal OverdueAmount(IEnumerable<InstallmentBalance> installments, DateOnly date, int graceDays)
    {
        var sum = 0m;
        foreach (var i in installments)
            if (IsOverdue(i, date, graceDays)) sum += i.PrincipalOutstanding + i.InterestOutstanding;
        return sum;
    }

    /// <summary>Everything that can be paid on <paramref name="date"/> without a prepayment.</summary>
    public static decimal AmountDue(LoanBalance loan, DateOnly date)
    {
        var (overdue, current) = Split(loan, date);
        return loan.PenaltyOutstanding + loan.CompoundOutstanding
               + overdue.Sum(i => i.InterestOutstanding + i.PrincipalOutstanding)
               + (current is null ? 0m : current.InterestOutstanding + current.PrincipalOutstanding);
    }

    public static Result<Allocation> Allocate(LoanBalance loan, DateOnly date, decimal amount)
    {
        if (amount <= 0m) return Error.Of(ErrorCodes.AmountNotPositive).At("amount");
        if (decimal.Round(amount, 2) != amount) return Error.Of(ErrorCodes.AmountNotInFen).At("amount");
        var due = AmountDue(loan, date);
        if (amount > due) return Error.Of(ErrorCodes.Overpayment, amount, due, date).At("amount");

        var (overdue, current) = Split(loan, date);
        var lines = new List<AllocationLine>();
        var left = amount;

        void Take(AllocationComponent component, int? number, decimal owed)
        {
            if (left <= 0m || owed <= 0m) return;
            var part = Math.Min(left, owed);
            lines.Add(new AllocationLine(component, number, part));
            left -= part;
        }

        Take(AllocationComponent.Penalty, null, loan.PenaltyOutstanding);
        Take(AllocationComponent.Compound, null, loan.CompoundOutstanding);
        foreach (var i in overdue) Take(AllocationComponent.OverdueInterest, i.Number, i.InterestOutstanding);
        foreach (var i in overdue) Take(AllocationComponent.OverduePrincipal, i.Number, i.PrincipalOutstanding);
        if (current is not null)
        {
            Take(AllocationComponent.CurrentInterest, current.Number, current.InterestOutstanding);
            Take(AllocationComponent.CurrentPrincipal, current.Number, current.PrincipalOutstanding);
        }
        return new Allocation(amount, lines);
    }

    /// <summary>
    /// The overdue installments (oldest first) and the one current installment: the earliest that is neither overdue
    /// nor fully paid (due today, within grace, or due next). Never a second one: a later installment's interest is
    /// not due before its own period (DOMAIN.md, Repayments).
    /// </summary>
    public static (IReadOnlyList<InstallmentBalance> Overdue, InstallmentBalance? Current) Split(LoanBalance loan, DateOnly date)
    {
        var overdue = new List<InstallmentBalance>();
        InstallmentBalance? current = null;
        foreach (var i in loan.Installments.OrderBy(i => i.DueDate).ThenBy(i => i.Number))
        {
            if (i.PrincipalOutstanding + i.InterestOutstanding <= 0m) continue;
            if (IsOverdue(i, date, loan.GraceDays)) overdue.Add(i);
            else current ??= i;
        }

        return (overdue, current);
    }
}
