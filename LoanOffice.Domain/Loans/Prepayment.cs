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
    public static Result<PrepaymentQuote> Quote(RepaymentSchedule schedule, DateOnly date, decimal principalToRepay, PrepaymentOption option)
    {
        if (principalToRepay <= 0m) return Error.ForField("principal", "The amount to prepay must be greater than zero.");
        if (decimal.Round(principalToRepay, 2) != principalToRepay) return Error.ForField("principal", "The amount must be in whole fen.");
        if (date < schedule.StartDate) return Error.ForField("date", "A prepayment cannot be dated before the loan started.");
        if (schedule.Method == RepaymentMethod.PrepaidInterest)
            return new Error("prepayment_not_supported", "A prepaid-interest loan collected its interest up front: settle it at maturity or handle the interest refund as a manual adjustment.");

        var lines = schedule.Installments.Where(l => l.Number > 0).ToList();
        var paid = lines.Where(l => l.DueDate <= date).ToList();
        var remaining = lines.Where(l => l.DueDate > date).ToList();
        if (remaining.Count == 0) return new Error("matured", "The loan has no installment after this date: collect what is due instead.");

        var outstanding = paid.Count == 0 ? schedule.Principal : paid[^1].BalanceAfter;
        if (principalToRepay > outstanding)
            return Error.ForField("principal", $"The amount exceeds the outstanding principal {MoneyRules.FormatCny(outstanding)}.");

        var lastDue = paid.Count == 0 ? schedule.StartDate : paid[^1].DueDate;
        var days = date.DayNumber - lastDue.DayNumber;
        var rate = Rate.FromAnnual(schedule.AnnualRate);
        var interestForDays = ScheduleCalculator.Round(outstanding * rate.Daily * days);
        var newBalance = outstanding - principalToRepay;

        IReadOnlyList<ScheduleLine> newLines = [];
        if (newBalance > 0m)
        {
            var next = remaining[0];
            var brokenDays = next.DueDate.DayNumber - date.DayNumber;
            var firstInterest = ScheduleCalculator.Round(newBalance * rate.Daily * brokenDays);
            var r = rate.Monthly;
            var result = Rebuild(schedule, remaining, newBalance, firstInterest, r, option);
            if (!result.IsSuccess) return result.Error!;
            newLines = result.Value!;
        }

        return new PrepaymentQuote(date, outstanding, days, interestForDays, principalToRepay,
            ScheduleCalculator.Fen(interestForDays + principalToRepay), option, newLines);
    }

    private static Result<IReadOnlyList<ScheduleLine>> Rebuild(RepaymentSchedule schedule, List<ScheduleLine> remaining,
        decimal balance, decimal firstInterest, decimal r, PrepaymentOption option)
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
                return new Error("option_not_applicable",
                    $"'{option}' does not apply to {schedule.Method}: the principal falls due at maturity, so only a lower installment is possible.") { Field = "option" };
        }
    }

    private static decimal FixedPayment(RepaymentSchedule schedule) =>
        schedule.Installments.Count > 1 ? schedule.Installments[0].Payment : schedule.Installments[^1].Payment;
}
