using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>提前还款后的选择: keep the installment and pay off sooner, or keep the end date and pay less each time.</summary>
public enum PrepaymentOption
{
    ShortenTerm,
    LowerInstallment,
}

/// <summary>A prepayment worked out: interest for the broken period, what to pay now, and the schedule afterwards.</summary>
public sealed record PrepaymentQuote(
    DateOnly Date,
    decimal OutstandingBefore,
    int DaysSinceLastDueDate,
    decimal InterestForDays,
    decimal PrincipalPrepaid,
    decimal TotalToPay,
    PrepaymentOption Option,
    IReadOnlyList<ScheduleLine> NewInstallments)
{
    public bool SettlesTheLoan => NewInstallments.Count == 0;
}

/// <summary>
/// Prepayment (提前还款): interest by actual days since the last due date at annual/360 on the outstanding principal,
/// then the chosen option. The next installment after a partial prepayment carries the broken period's interest by
/// days on the new balance; later ones the monthly rate. Due dates keep counting from the original start date.
/// The loan must be current: installments due on or before the date are taken as paid.
/// </summary>
public static class Prepayment
{
    /// <param name="interestFrom">
    /// Interest runs from the last due date, or from a later date the loan's interest was already settled to (a
    /// previous prepayment in the same period).
    /// </param>
    public static Result<PrepaymentQuote> Quote(RepaymentSchedule schedule, DateOnly date, decimal principalToRepay, PrepaymentOption option,
        DateOnly? interestFrom = null)
    {
        if (principalToRepay <= 0m) return Error.Of(ErrorCodes.AmountNotPositive).At("principal");
        if (decimal.Round(principalToRepay, 2) != principalToRepay) return Error.Of(ErrorCodes.AmountNotInFen).At("principal");
        if (date < schedule.StartDate) return Error.Of(ErrorCodes.DateBeforeStart, schedule.StartDate).At("date");
        if (schedule.Method == RepaymentMethod.PrepaidInterest) return Error.Of(ErrorCodes.PrepaymentNotSupported);

        var lines = schedule.Installments.Where(l => l.Number > 0).ToList();
        var paid = lines.Where(l => l.DueDate <= date).ToList();
        var remaining = lines.Where(l => l.DueDate > date).ToList();
        if (remaining.Count == 0) return Error.Of(ErrorCodes.Matured);

        var outstanding = paid.Count == 0 ? remaining.Sum(l => l.Principal) - (schedule.Installments.Sum(l => l.Principal) - schedule.Principal) : paid[^1].BalanceAfter;
        if (principalToRepay > outstanding) return Error.Of(ErrorCodes.PrepaymentExceedsOutstanding, outstanding).At("principal");

        var lastDue = paid.Count == 0 ? schedule.StartDate : paid[^1].DueDate;
        if (interestFrom is { } from && from > lastDue) lastDue = from;
        var days = date.DayNumber - lastDue.DayNumber;
        var rate = Rate.FromAnnual(schedule.AnnualRate);
        var interestForDays = ScheduleCalculator.Round(rate.ForDays(outstanding, days));
        var newBalance = outstanding - principalToRepay;

        IReadOnlyList<ScheduleLine> newLines = [];
        if (newBalance > 0m)
        {
            var next = remaining[0];
            var brokenDays = next.DueDate.DayNumber - date.DayNumber;
            var firstInterest = ScheduleCalculator.Round(rate.ForDays(newBalance, brokenDays));
            var result = Rebuild(schedule, remaining, newBalance, firstInterest, rate, option);
            if (!result.IsSuccess) return result.Error!;
            newLines = result.Value!;
        }

        return new PrepaymentQuote(date, outstanding, days, interestForDays, principalToRepay,
            ScheduleCalculator.Fen(interestForDays + principalToRepay), option, newLines);
    }

    private static Result<IReadOnlyList<ScheduleLine>> Rebuild(RepaymentSchedule schedule, List<ScheduleLine> remaining,
        decimal balance, decimal firstInterest, Rate r, PrepaymentOption option)
    {
        var first = remaining[0].Number;
        var count = remaining.Count;
        var start = schedule.StartDate;
        switch (schedule.Method)
        {
            case RepaymentMethod.EqualInstallment:
                return option == PrepaymentOption.LowerInstallment
                    ? ScheduleCalculator.EqualInstallment(balance, r, start, first, count, firstInterest, null)
                    : ScheduleCalculator.EqualInstallment(balance, r, start, first, count, firstInterest, FixedPayment(schedule));
            case RepaymentMethod.EqualPrincipal:
                return option == PrepaymentOption.LowerInstallment
                    ? ScheduleCalculator.EqualPrincipal(balance, r, start, first, count, firstInterest, null)
                    : ScheduleCalculator.EqualPrincipal(balance, r, start, first, count, firstInterest, schedule.Installments[0].Principal);
            case RepaymentMethod.InterestOnly when option == PrepaymentOption.LowerInstallment:
                return ScheduleCalculator.InterestOnly(balance, r, start, first, count, firstInterest);
            case RepaymentMethod.Bullet when option == PrepaymentOption.LowerInstallment:
                // the one remaining line at maturity: the new balance plus its interest by days from the prepayment
                return new List<ScheduleLine> { ScheduleCalculator.Line(first, remaining[0].DueDate, balance, firstInterest, 0m) };
            default:
                return Error.Of(ErrorCodes.OptionNotApplicable, option, schedule.Method).At("option");
        }
    }

    private static decimal FixedPayment(RepaymentSchedule schedule) =>
        schedule.Installments.Count > 1 ? schedule.Installments[0].Payment : schedule.Installments[^1].Payment;
}
