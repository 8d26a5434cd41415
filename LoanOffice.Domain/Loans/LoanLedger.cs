using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>One installment with what has been paid on it.</summary>
public sealed record InstallmentState(int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal PrincipalPaid, decimal InterestPaid)
{
    public decimal PrincipalOutstanding => Principal - PrincipalPaid;
    public decimal InterestOutstanding => Interest - InterestPaid;
    public InstallmentBalance Balance => new(Number, DueDate, PrincipalOutstanding, InterestOutstanding);
}

/// <summary>
/// A loan's position at the end of <see cref="Date"/>: installments, penalty and compound interest accrued (sums of
/// the unrounded daily figures) and paid.
/// </summary>
public sealed record LedgerState(DateOnly Date, IReadOnlyList<InstallmentState> Installments, decimal PenaltyAccrued, decimal CompoundAccrued, decimal PenaltyPaid, decimal CompoundPaid)
{
    /// <summary>Penalty due: the accrued sum rounded to the fen, less what was paid.</summary>
    public decimal PenaltyOutstanding => OverdueAccrual.Outstanding(PenaltyAccrued, PenaltyPaid);
    public decimal CompoundOutstanding => OverdueAccrual.Outstanding(CompoundAccrued, CompoundPaid);
    public decimal PrincipalOutstanding => Installments.Sum(i => i.PrincipalOutstanding);

    public LoanBalance Balance(int graceDays) =>
        new(Installments.Select(i => i.Balance).ToList(), PenaltyOutstanding, CompoundOutstanding, graceDays);

    public bool IsSettled => Installments.All(i => i.PrincipalOutstanding + i.InterestOutstanding <= 0m) && PenaltyOutstanding <= 0m && CompoundOutstanding <= 0m;
}

/// <summary>One day's accruals as the ledger (and the nightly close) records them: each on its overdue basis.</summary>
public sealed record LedgerAccrual(DateOnly Date, decimal PenaltyBasis, decimal Penalty, decimal CompoundBasis, decimal Compound);

