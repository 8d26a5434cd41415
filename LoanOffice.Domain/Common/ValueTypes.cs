using LoanOffice.Domain.Common;
using System.Globalization;

namespace LoanOffice.Domain.Common;

/// <summary>An amount in 元 (CNY), always rounded half away from zero to the fen.</summary>
public readonly record struct Money : IComparable<Money>
{
    private Money(decimal amount) => Amount = amount;

    /// <summary>Always carries two decimals (scale 2), so 10000 prints as 10000.00.</summary>
    public decimal Amount { get; }

    public static Money Zero { get; } = new(0.00m);

    /// <summary>The one place that turns a computed figure into money: half away from zero, to 0.01.</summary>
    public static Money Of(decimal amount) => new(MoneyRules.RoundToFen(amount) + 0.00m);

    public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount);
    public static Money operator -(Money a, Money b) => new(a.Amount - b.Amount);
    public static bool operator <(Money a, Money b) => a.Amount < b.Amount;
    public static bool operator >(Money a, Money b) => a.Amount > b.Amount;
    public static bool operator <=(Money a, Money b) => a.Amount <= b.Amount;
    public static bool operator >=(Money a, Money b) => a.Amount >= b.Amount;
    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public bool IsZero => Amount == 0m;
    public bool IsNegative => Amount < 0m;

    public int CompareTo(Money other) => Amount.CompareTo(other.Amount);

    public static Money Add(Money a, Money b) => a + b;
    public static Money Subtract(Money a, Money b) => a - b;

    public override string ToString() => MoneyRules.FormatCny(Amount);
}

/// <summary>
/// An annual interest rate as a fraction (0.12 = 12 %). Monthly = annual ÷ 12; daily = annual ÷ 360 — but amounts are
/// computed by multiplying first and dividing last (balance × annual ÷ 12), so that an exact half fen stays exact and
/// rounds up (四舍五入): 619,500 × 0.049 ÷ 12 = 2,529.625 → 2,529.63. A rate divided first (0.049 / 12 as a 28-digit
/// decimal) is a hair below the true value and would round that half fen down.
/// </summary>
public readonly record struct Rate
{
    private Rate(decimal annual) => Annual = annual;

    public decimal Annual { get; }

    /// <summary>Interest of one full month on <paramref name="balance"/>, exact (not rounded): balance × annual ÷ 12.</summary>
    public decimal ForMonths(decimal balance, int months = 1) => balance * Annual * months / 12m;

    /// <summary>Interest for <paramref name="days"/> actual days on <paramref name="balance"/>, exact: balance × annual × days ÷ 360.</summary>
    public decimal ForDays(decimal balance, int days) => balance * Annual * days / 360m;

    /// <summary>
    /// The monthly rate annual ÷ 12 as a 28-digit decimal, only for the annuity factor (1 + r)^n, where a power needs the
    /// rate itself; never multiply an amount by it (use <see cref="ForMonths"/>).
    /// </summary>
    public decimal MonthlyForAnnuityFactor => decimal.Divide(Annual, MonthsPerYear);

    private const decimal MonthsPerYear = 12m;

    public static Result<Rate> Annually(decimal annual) =>
        annual < 0m ? Error.Of(ErrorCodes.RateNegative).At("annualRate")
        : annual >= 1m ? Error.Of(ErrorCodes.RateTooHigh).At("annualRate")
        : new Rate(annual);

    public static Rate FromAnnual(decimal annual) =>
        Annually(annual) is { IsSuccess: true } r ? r.Value : throw new ArgumentOutOfRangeException(nameof(annual), annual, "rate out of range");

    public override string ToString() => (Annual * 100m).ToString("0.####", CultureInfo.InvariantCulture) + " %";
}

/// <summary>A loan term in whole months (1 to 360).</summary>
public readonly record struct Term
{
    public const int MaxMonths = 360;

    private Term(int months) => Months = months;

    public int Months { get; }

    public static Result<Term> OfMonths(int months) =>
        months is < 1 or > MaxMonths ? Error.Of(ErrorCodes.TermRange, MaxMonths).At("months") : new Term(months);

    public override string ToString() => Months.ToString(CultureInfo.InvariantCulture) + " months";
}

public readonly record struct LoanId(Guid Value)
{
    public static LoanId New() => new(Guid.CreateVersion7());
}

public readonly record struct ApplicationId(Guid Value)
{
    public static ApplicationId New() => new(Guid.CreateVersion7());
}

public readonly record struct CustomerId(Guid Value)
{
    public static CustomerId New() => new(Guid.CreateVersion7());
}

public readonly record struct ProductId(Guid Value)
{
    public static ProductId New() => new(Guid.CreateVersion7());
}

public readonly record struct UserId(Guid Value);

public readonly record struct TeamId(Guid Value);
