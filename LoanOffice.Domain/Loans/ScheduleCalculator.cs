using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>
/// Builds repayment schedules with the conventions bank calculators use:
/// interest of a period = round(balance × annual ÷ 12), multiplied before dividing so an exact half fen rounds up;
/// the annuity payment from r = annual ÷ 12; each posted amount rounded half away from
/// zero to the fen; the last installment absorbs the rounding residue; due date k = start + k months computed from
/// the start each time and clamped to the month's end (31 Jan → 28 Feb → 31 Mar).
/// </summary>
public static class ScheduleCalculator
{
    public static Result<RepaymentSchedule> Build(RepaymentMethod method, decimal principal, decimal annualRate, int months, DateOnly startDate)
    {
        if (ValidatePrincipal(principal) is { } principalError) return principalError;
        var rate = Rate.Annually(annualRate);
        if (!rate.IsSuccess) return rate.Error!;
        var term = Term.OfMonths(months);
        if (!term.IsSuccess) return term.Error!;
        if (!Enum.IsDefined(method)) return Error.Of(ErrorCodes.ScheduleUnknownMethod, method.ToString()).At("method");
        if (!BusinessDates.InRange(startDate)) return BusinessDates.Refusal("startDate", startDate);

        var r = rate.Value;
        var lines = method switch
        {
            RepaymentMethod.EqualInstallment => EqualInstallment(principal, r, startDate, 1, months, null, null),
            RepaymentMethod.EqualPrincipal => EqualPrincipal(principal, r, startDate, 1, months, null, null),
            RepaymentMethod.InterestOnly => InterestOnly(principal, r, startDate, 1, months, null),
            RepaymentMethod.Bullet => Bullet(principal, r, months, startDate),
            RepaymentMethod.PrepaidInterest => PrepaidInterest(principal, r, months, startDate),
            _ => throw new InvalidOperationException("unreachable"),
        };
        return new RepaymentSchedule(method, Fen(principal), annualRate, months, startDate, lines);
    }

    /// <summary>Due date of installment k: the start plus k months, clamped to the end of the month.</summary>
    public static DateOnly DueDate(DateOnly start, int k) => start.AddMonths(k);

    public static Error? ValidatePrincipal(decimal principal)
    {
        if (principal <= 0m) return Error.Of(ErrorCodes.SchedulePrincipalNotPositive).At("principal");
        if (decimal.Round(principal, 2) != principal) return Error.Of(ErrorCodes.AmountNotInFen).At("principal");
        if (principal > 1_000_000_000m) return Error.Of(ErrorCodes.SchedulePrincipalTooHigh, 1_000_000_000m).At("principal");
        return null;
    }

    /// <summary>
    /// The annuity payment A = round(P·r·(1+r)^n / ((1+r)^n − 1)) with r = annual ÷ 12, computed as
    /// P·annual·g / (12·(g − 1)) (multiplied before dividing), or round(P/n) at rate 0.
    /// </summary>
    public static decimal AnnuityPayment(decimal principal, Rate rate, int periods)
    {
        if (rate.Annual == 0m) return Round(principal / periods);
        var growth = Power(1m + rate.MonthlyForAnnuityFactor, periods);
        return Round(principal * rate.Annual * growth / (12m * (growth - 1m)));
    }

    /// <summary>
    /// Equal installments for periods first..first+n-1 on <paramref name="balance"/>. A broken first period may carry a
    /// given interest (prepayment); <paramref name="fixedPayment"/> keeps an existing installment (shorten the term).
    /// </summary>
    internal static List<ScheduleLine> EqualInstallment(decimal balance, Rate r, DateOnly start, int first, int n,
        decimal? firstInterest, decimal? fixedPayment)
    {
        var payment = fixedPayment ?? AnnuityPayment(balance, r, n);
        if (fixedPayment is null)
        {
            // Over long terms at high rates the payment's rounding (< half a fen) compounds: rounded up it can repay
            // the balance before the last period and leave 0.00 installments. Such a payment is lowered a fen at a
            // time until the balance lasts the whole term; the last installment then absorbs the residue (DOMAIN.md).
            for (var step = 0; step < MaxPaymentAdjustment && RepaidEarly(balance, r, n, firstInterest, payment); step++)
                payment -= 0.01m;
        }

        return EqualInstallmentLines(balance, r, start, first, n, firstInterest, payment, fixedPayment is not null);
    }

    private const int MaxPaymentAdjustment = 100;

    /// <summary>Whether <paramref name="payment"/> repays <paramref name="balance"/> before period n.</summary>
    private static bool RepaidEarly(decimal balance, Rate r, int n, decimal? firstInterest, decimal payment)
    {
        for (var i = 0; i < n - 1; i++)
        {
            var interest = i == 0 && firstInterest is { } fi ? fi : Round(r.ForMonths(balance));
            balance -= Math.Min(balance, Math.Max(0m, payment - interest));
            if (balance == 0m) return true;
        }

        return false;
    }

    private static List<ScheduleLine> EqualInstallmentLines(decimal balance, Rate r, DateOnly start, int first, int n,
        decimal? firstInterest, decimal payment, bool fixedPaymentGiven)
    {
        var lines = new List<ScheduleLine>(n);
        var fixedPayment = fixedPaymentGiven ? payment : (decimal?)null;
        // With a fixed payment (shorten the term) the count follows from the balance; otherwise it is exactly n.
        for (var i = 0; fixedPayment is not null || i < n; i++)
        {
            var number = first + i;
            var interest = i == 0 && firstInterest is { } fi ? fi : Round(r.ForMonths(balance));
            // a fixed payment that no longer covers the interest cannot amortize: settle the balance (defensive bound)
            var isLast = fixedPayment is null ? i == n - 1 : payment - interest >= balance || i >= Term.MaxMonths;
            var principal = isLast ? balance : Math.Min(balance, Math.Max(0m, payment - interest));
            balance -= principal;
            lines.Add(Line(number, DueDate(start, number), principal, interest, balance));
            if (isLast) break;
        }

        return lines;
    }

    internal static List<ScheduleLine> EqualPrincipal(decimal balance, Rate r, DateOnly start, int first, int n,
        decimal? firstInterest, decimal? fixedPrincipal)
    {
        var lines = new List<ScheduleLine>(n);
        var part = fixedPrincipal ?? Round(balance / n);
        for (var i = 0; ; i++)
        {
            var number = first + i;
            var interest = i == 0 && firstInterest is { } fi ? fi : Round(r.ForMonths(balance));
            var isLast = fixedPrincipal is null ? i == n - 1 : part >= balance;
            var principal = isLast ? balance : Math.Min(part, balance);
            balance -= principal;
            lines.Add(Line(number, DueDate(start, number), principal, interest, balance));
            if (isLast) break;
        }

        return lines;
    }

    internal static List<ScheduleLine> InterestOnly(decimal balance, Rate r, DateOnly start, int first, int n, decimal? firstInterest)
    {
        var lines = new List<ScheduleLine>(n);
        for (var i = 0; i < n; i++)
        {
            var number = first + i;
            var interest = i == 0 && firstInterest is { } fi ? fi : Round(r.ForMonths(balance));
            var principal = i == n - 1 ? balance : 0m;
            lines.Add(Line(number, DueDate(start, number), principal, interest, balance - principal));
        }

        return lines;
    }

    private static List<ScheduleLine> Bullet(decimal principal, Rate r, int months, DateOnly start) =>
        [Line(1, DueDate(start, months), principal, Round(r.ForMonths(principal, months)), 0m)];

    /// <summary>预收利息: the whole interest is line 0, due on the disbursement date; the amount paid out is the full principal.</summary>
    private static List<ScheduleLine> PrepaidInterest(decimal principal, Rate r, int months, DateOnly start) =>
    [
        Line(0, start, 0m, Round(r.ForMonths(principal, months)), principal),
        Line(1, DueDate(start, months), principal, 0m, 0m),
    ];

    internal static ScheduleLine Line(int number, DateOnly due, decimal principal, decimal interest, decimal balanceAfter) =>
        new(number, due, Fen(principal), Fen(interest), Fen(principal + interest), Fen(balanceAfter));

    /// <summary>Rounds half away from zero to the fen (Money's rule).</summary>
    internal static decimal Round(decimal value) => Money.Of(value).Amount;

    /// <summary>Scale 2 for an amount already in fen (10000 → 10000.00).</summary>
    internal static decimal Fen(decimal value) => Money.Of(value).Amount;

    internal static decimal Power(decimal x, int n)
    {
        var result = 1m;
        var b = x;
        while (n > 0)
        {
            if ((n & 1) == 1) result *= b;
            b *= b;
            n >>= 1;
        }

        return result;
    }
}
