namespace LoanOffice.Domain.Loans;

/// <summary>One day's penalty and compound interest for a loan, unrounded to 6 decimals.</summary>
public sealed record DailyAccrual(DateOnly BusinessDate, decimal Penalty, decimal Compound, decimal DailyPenaltyRate);

/// <summary>
/// Overdue accrual (逾期计息): for every calendar day overdue,
/// penalty (罚息) = overdue principal × annual/360 × (1 + markup);
/// compound (复利) = unpaid overdue interest × the same daily penalty rate.
/// Daily figures keep 6 decimals; what is due is their sum rounded to the fen.
/// </summary>
public static class OverdueAccrual
{
    public const int AccrualDecimals = 6;

    public static decimal DailyPenaltyRate(decimal annualRate, decimal penaltyMarkup) => annualRate / 360m * (1m + penaltyMarkup);

    /// <summary>The penalty daily rate as a loan stores it (18 decimals): the nightly close and every recomputation use this one figure.</summary>
    public static decimal StoredDailyPenaltyRate(decimal annualRate, decimal penaltyMarkup) =>
        Math.Round(DailyPenaltyRate(annualRate, penaltyMarkup), 18, MidpointRounding.AwayFromZero);

    public static DailyAccrual ForDay(DateOnly businessDate, decimal overduePrincipal, decimal overdueInterest, decimal annualRate, decimal penaltyMarkup) =>
        AtRate(businessDate, overduePrincipal, overdueInterest, DailyPenaltyRate(annualRate, penaltyMarkup));

    /// <summary>One day's accrual at a given penalty daily rate.</summary>
    public static DailyAccrual AtRate(DateOnly businessDate, decimal overduePrincipal, decimal overdueInterest, decimal rate)
    {
        return new DailyAccrual(businessDate,
            Math.Round(overduePrincipal * rate, AccrualDecimals, MidpointRounding.AwayFromZero),
            Math.Round(overdueInterest * rate, AccrualDecimals, MidpointRounding.AwayFromZero),
            rate);
    }

    /// <summary>For a loan's open installments on a business date: overdue principal and interest, then the day's accrual.</summary>
    public static DailyAccrual ForDay(DateOnly businessDate, IEnumerable<InstallmentBalance> installments, int graceDays, decimal annualRate, decimal penaltyMarkup)
    {
        var overdue = installments.Where(i => PaymentAllocator.IsOverdue(i, businessDate, graceDays)).ToList();
        return ForDay(businessDate, overdue.Sum(i => i.PrincipalOutstanding), overdue.Sum(i => i.InterestOutstanding), annualRate, penaltyMarkup);
    }

    /// <summary>What is due from a run of daily accruals: their sum, rounded half away from zero to the fen.</summary>
    public static decimal AmountDue(IEnumerable<decimal> dailyAccruals) => ScheduleCalculator.Round(dailyAccruals.Sum());

    /// <summary>
    /// Days past due of the oldest overdue amount: the days since its due date once it is overdue (past the grace
    /// days), otherwise 0.
    /// </summary>
    public static int DaysPastDue(IEnumerable<InstallmentBalance> installments, DateOnly businessDate, int graceDays)
    {
        var oldest = installments.Where(i => PaymentAllocator.IsOverdue(i, businessDate, graceDays)).OrderBy(i => i.DueDate).FirstOrDefault();
        return oldest is null ? 0 : businessDate.DayNumber - oldest.DueDate.DayNumber;
    }
}
