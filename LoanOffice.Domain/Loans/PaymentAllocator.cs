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
/// current interest → current principal. An installment is overdue once its due date plus the grace days has passed;
/// the current installments are those due (within grace) and the next one to fall due. More than is due is refused:
/// paying ahead of the schedule is a prepayment.
/// </summary>
public static class PaymentAllocator
{
    public static bool IsOverdue(InstallmentBalance installment, DateOnly date, int graceDays) =>
        installment.PrincipalOutstanding + installment.InterestOutstanding > 0m && date > installment.DueDate.AddDays(graceDays);

    /// <summary>Everything that can be paid on <paramref name="date"/> without a prepayment.</summary>
    public static decimal AmountDue(LoanBalance loan, DateOnly date)
    {
        var (overdue, current) = Split(loan, date);
        return loan.PenaltyOutstanding + loan.CompoundOutstanding
               + overdue.Sum(i => i.InterestOutstanding + i.PrincipalOutstanding)
               + current.Sum(i => i.InterestOutstanding + i.PrincipalOutstanding);
    }

    public static Result<Allocation> Allocate(LoanBalance loan, DateOnly date, decimal amount)
    {
        if (amount <= 0m) return Error.ForField("amount", "The payment must be greater than zero.");
        if (decimal.Round(amount, 2) != amount) return Error.ForField("amount", "The payment must be in whole fen (at most two decimals).");
        var due = AmountDue(loan, date);
        if (amount > due)
            return new Error("overpayment", $"The payment {MoneyRules.FormatCny(amount)} exceeds the {MoneyRules.FormatCny(due)} due on {date:yyyy-MM-dd}; repay the rest as a prepayment.") { Field = "amount" };

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
        foreach (var i in current) Take(AllocationComponent.CurrentInterest, i.Number, i.InterestOutstanding);
        foreach (var i in current) Take(AllocationComponent.CurrentPrincipal, i.Number, i.PrincipalOutstanding);
        return new Allocation(amount, lines);
    }

    private static (List<InstallmentBalance> Overdue, List<InstallmentBalance> Current) Split(LoanBalance loan, DateOnly date)
    {
        var overdue = new List<InstallmentBalance>();
        var current = new List<InstallmentBalance>();
        InstallmentBalance? next = null;
        foreach (var i in loan.Installments.OrderBy(i => i.DueDate).ThenBy(i => i.Number))
        {
            if (i.PrincipalOutstanding + i.InterestOutstanding <= 0m) continue;
            if (IsOverdue(i, date, loan.GraceDays)) overdue.Add(i);
            else if (i.DueDate <= date) current.Add(i);
            else if (next is null) next = i;
        }

        if (next is not null) current.Add(next);
        return (overdue, current);
    }
}
