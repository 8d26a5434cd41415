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
    public decimal PenaltyOutstanding => MoneyRules.RoundToFen(PenaltyAccrued) - PenaltyPaid;
    public decimal CompoundOutstanding => MoneyRules.RoundToFen(CompoundAccrued) - CompoundPaid;
    public decimal PrincipalOutstanding => Installments.Sum(i => i.PrincipalOutstanding);

    public LoanBalance Balance(int graceDays) =>
        new(Installments.Select(i => i.Balance).ToList(), PenaltyOutstanding, CompoundOutstanding, graceDays);

    public bool IsSettled => Installments.All(i => i.PrincipalOutstanding + i.InterestOutstanding <= 0m) && PenaltyOutstanding <= 0m && CompoundOutstanding <= 0m;
}

public sealed record LedgerPayment(Guid Id, DateOnly ValueDate, decimal Amount);

/// <summary>One day's accruals as the ledger (and the nightly close) records them: each on its overdue basis.</summary>
public sealed record LedgerAccrual(DateOnly Date, decimal PenaltyBasis, decimal Penalty, decimal CompoundBasis, decimal Compound);

public sealed record LedgerResult(LedgerState State, IReadOnlyList<LedgerAccrual> Accruals, IReadOnlyDictionary<Guid, Allocation> Allocations);

/// <summary>
/// Re-applies a loan's payments in value-date order from a starting position, accruing penalty and compound interest
/// day by day in between (after each day's payments, as the nightly close does). Posting, reversing or back-dating a
/// payment all come down to this: the loan is recomputed from that date on, later payments re-applied in date order.
/// </summary>
public static class LoanLedger
{
    public static Result<LedgerResult> Replay(LedgerState start, IEnumerable<LedgerPayment> payments, DateOnly accrueThrough,
        decimal penaltyDailyRate, int graceDays)
    {
        var ordered = payments.ToList();
        if (ordered.FirstOrDefault(p => p.ValueDate <= start.Date) is { } early)
            return Error.ForField("date", $"A payment cannot be dated on or before {start.Date:yyyy-MM-dd}, where the loan's record starts.");
        var installments = start.Installments.ToDictionary(i => i.Number);
        decimal penaltyAccrued = start.PenaltyAccrued, compoundAccrued = start.CompoundAccrued, penaltyPaid = start.PenaltyPaid, compoundPaid = start.CompoundPaid;
        var accruals = new List<LedgerAccrual>();
        var allocations = new Dictionary<Guid, Allocation>();
        var last = ordered.Count == 0 ? accrueThrough : new[] { accrueThrough, ordered.Max(p => p.ValueDate) }.Max();
        var byDate = ordered.ToLookup(p => p.ValueDate);

        for (var d = start.Date.AddDays(1); d <= last; d = d.AddDays(1))
        {
            foreach (var payment in byDate[d])
            {
                var balance = new LoanBalance(installments.Values.OrderBy(i => i.Number).Select(i => i.Balance).ToList(),
                    MoneyRules.RoundToFen(penaltyAccrued) - penaltyPaid, MoneyRules.RoundToFen(compoundAccrued) - compoundPaid, graceDays);
                var allocation = PaymentAllocator.Allocate(balance, d, payment.Amount);
                if (!allocation.IsSuccess)
                    return new Error(allocation.Error!.Code, $"The payment of {MoneyRules.FormatCny(payment.Amount)} on {d:yyyy-MM-dd} cannot be applied: {allocation.Error.Message}") { Field = "amount" };
                foreach (var line in allocation.Value!.Lines)
                {
                    switch (line.Component)
                    {
                        case AllocationComponent.Penalty: penaltyPaid += line.Amount; break;
                        case AllocationComponent.Compound: compoundPaid += line.Amount; break;
                        case AllocationComponent.OverdueInterest or AllocationComponent.CurrentInterest:
                            installments[line.InstallmentNumber!.Value] = installments[line.InstallmentNumber.Value] with { InterestPaid = installments[line.InstallmentNumber.Value].InterestPaid + line.Amount };
                            break;
                        default:
                            installments[line.InstallmentNumber!.Value] = installments[line.InstallmentNumber.Value] with { PrincipalPaid = installments[line.InstallmentNumber.Value].PrincipalPaid + line.Amount };
                            break;
                    }
                }

                allocations[payment.Id] = allocation.Value;
            }

            if (d > accrueThrough) continue;
            var overdue = installments.Values.Where(i => PaymentAllocator.IsOverdue(i.Balance, d, graceDays)).ToList();
            var principalBasis = overdue.Sum(i => i.PrincipalOutstanding);
            var interestBasis = overdue.Sum(i => i.InterestOutstanding);
            if (principalBasis <= 0m && interestBasis <= 0m) continue;
            var day = OverdueAccrual.AtRate(d, principalBasis, interestBasis, penaltyDailyRate);
            accruals.Add(new LedgerAccrual(d, principalBasis, day.Penalty, interestBasis, day.Compound));
            penaltyAccrued += day.Penalty;
            compoundAccrued += day.Compound;
        }

        var state = new LedgerState(new[] { start.Date, accrueThrough }.Max(), installments.Values.OrderBy(i => i.Number).ToList(),
            penaltyAccrued, compoundAccrued, penaltyPaid, compoundPaid);
        return new LedgerResult(state, accruals, allocations);
    }

    /// <summary>Days past due and the DPD class of a position on a date.</summary>
    public static (int DaysPastDue, LoanClass Class) Classify(LedgerState state, DateOnly date, int graceDays)
    {
        var dpd = OverdueAccrual.DaysPastDue(state.Installments.Select(i => i.Balance), date, graceDays);
        return (dpd, Classification.FromDaysPastDue(dpd));
    }
}
