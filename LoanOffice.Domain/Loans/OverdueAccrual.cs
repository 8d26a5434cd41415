using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>One day's penalty and compound interest for a loan, unrounded to 6 decimals.</summary>
public sealed record DailyAccrual(DateOnly BusinessDate, decimal Penalty, decimal Compound);

/// <summary>
/// Overdue accrual (逾期计息): for every calendar day overdue,
/// penalty (罚息) = overdue principal × annual/360 × (1 + markup);
/// compound (复利) = unpaid overdue interest × the same daily penalty rate.
/// Computed as basis × (annual × (1 + markup)) ÷ 360 — multiplied before dividing, so the daily rate is never cut to a
/// decimal below its true value. Daily figures keep 6 decimals; what is due is their sum rounded to the fen.
/// The SQL twin is <c>lo_daily_accrual</c> (LoanOffice.Data/Sql/LoanRules.sql).
/// </summary>
public static class OverdueAccrual
{
    public const int AccrualDecimals = 6;

    /// <summary>The penalty rate per year, annual × (1 + markup): exact, and what a loan stores.</summary>
    public static decimal PenaltyAnnualRate(decimal annualRate, decimal penaltyMarkup) => annualRate * (1m + penaltyMarkup);

    /// <summary>One day's accrual on <paramref name="basis"/> at a penalty annual rate: basis × rate ÷ 360, to 6 decimals.</summary>
    public static decimal Daily(decimal basis, decimal penaltyAnnualRate)
    {
        var perYear = basis * penaltyAnnualRate; // multiplied first, divided once
        return Math.Round(perYear / DaysPerYear, AccrualDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>The contract's day basis (日利率 = 年利率 ÷ 360).</summary>
    public const decimal DaysPerYear = 360m;

    public static DailyAccrual ForDay(DateOnly businessDate, decimal overduePrincipal, decimal overdueInterest, decimal annualRate, decimal penaltyMarkup) =>
        AtRate(businessDate, overduePrincipal, overdueInterest, PenaltyAnnualRate(annualRate, penaltyMarkup));

    /// <summary>One day's accrual at a given penalty annual rate (annual × (1 + markup)).</summary>
    public static DailyAccrual AtRate(DateOnly businessDate, decimal overduePrincipal, decimal overdueInterest, decimal penaltyAnnualRate) =>
        new(businessDate, Daily(overduePrincipal, penaltyAnnualRate), Daily(overdueInterest, penaltyAnnualRate));

    /// <summary>For a loan's open installments on a business date: overdue principal and interest, then the day's accrual.</summary>
    public static DailyAccrual ForDay(DateOnly businessDate, IEnumerable<InstallmentBalance> installments, int graceDays, decimal annualRate, decimal penaltyMarkup)
    {
        var overdue = installments.Where(i => PaymentAllocator.IsOverdue(i, businessDate, graceDays)).ToList();
        return ForDay(businessDate, overdue.Sum(i => i.PrincipalOutstanding), overdue.Sum(i => i.InterestOutstanding), annualRate, penaltyMarkup);
    }

    /// <summary>What is still due of an accrued figure: the sum of the daily accruals rounded to the fen, less what was paid (SQL: lo_accrued_due).</summary>
    public static decimal Outstanding(decimal accrued, decimal paid) => MoneyRules.RoundToFen(accrued) - paid;

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
