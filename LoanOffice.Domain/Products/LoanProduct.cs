using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;

namespace LoanOffice.Domain.Products;

/// <summary>贷款产品 kinds.</summary>
public enum ProductKind
{
    /// <summary>信用贷.</summary>
    Credit,
    /// <summary>抵押贷.</summary>
    Mortgage,
    /// <summary>质押贷.</summary>
    Pledge,
    /// <summary>保证贷.</summary>
    Guarantee,
}

/// <summary>The thresholds of centralized approval (DOMAIN.md): 10 % / 30 % amount spread, 6 months term spread, 100 元 unit.</summary>
public sealed record ApprovalThresholds(decimal MinimumRuleSpread, decimal MedianRuleSpread, int TermSpreadMonths, decimal AmountUnit)
{
    public static ApprovalThresholds Default { get; } = new(0.10m, 0.30m, 6, 100m);

    public Error? Validate()
    {
        if (MinimumRuleSpread < 0m || MedianRuleSpread < MinimumRuleSpread)
            return Error.Of(ErrorCodes.ProductSpreads).At("thresholds");
        if (TermSpreadMonths < 0) return Error.Of(ErrorCodes.ProductTermSpread).At("thresholds");
        if (AmountUnit <= 0m) return Error.Of(ErrorCodes.ProductAmountUnit).At("amountUnit");
        return null;
    }
}

/// <summary>
/// The terms a contract freezes (合同要素): rates, markup, day basis, thresholds. Editing the product later never
/// changes a loan, because the loan keeps this snapshot.
/// </summary>
public sealed record ContractTerms(
    string ProductCode,
    decimal AnnualRate,
    RepaymentMethod Method,
    decimal PenaltyMarkup,
    int GraceDays,
    int ReminderLeadDays,
    int DayBasis,
    ApprovalThresholds Thresholds);

/// <summary>A loan product (贷款产品) and the checks an application against it must pass.</summary>
public sealed record LoanProduct(
    string Code,
    string Name,
    ProductKind Kind,
    decimal MinAmount,
    decimal MaxAmount,
    int MinMonths,
    int MaxMonths,
    decimal MinAnnualRate,
    decimal MaxAnnualRate,
    IReadOnlyList<RepaymentMethod> Methods,
    decimal PenaltyMarkup,
    int GraceDays,
    int ReminderLeadDays,
    ApprovalThresholds Thresholds,
    IReadOnlyList<string> RequiredDocuments,
    decimal AnnualFeeRate = 0m)
{
    /// <summary>Default cap on the combined annualized cost (interest + penalty + fees) that courts uphold.</summary>
    public const decimal DefaultCombinedCostCap = 0.24m;

    /// <summary>The worst annualized cost a borrower can face: the penalty rate at the top of the range, plus fees.</summary>
    public decimal CombinedAnnualCost => MaxAnnualRate * (1m + PenaltyMarkup) + AnnualFeeRate;

    /// <summary>Checks the product's own consistency and the combined-cost cap (an override needs a reason, to be audited).</summary>
    public Result Validate(decimal combinedCostCap = DefaultCombinedCostCap, string? capOverrideReason = null)
    {
        if (string.IsNullOrWhiteSpace(Code)) return Error.Of(ErrorCodes.ProductCodeRequired).At("code");
        if (string.IsNullOrWhiteSpace(Name)) return Error.Of(ErrorCodes.ProductNameRequired).At("name");
        if (MinAmount <= 0m || MaxAmount < MinAmount) return Error.Of(ErrorCodes.ProductAmountLimits).At("amount");
        if (MinMonths < 1 || MaxMonths < MinMonths || MaxMonths > Term.MaxMonths) return Error.Of(ErrorCodes.ProductMonthsRange, Term.MaxMonths).At("months");
        if (MinAnnualRate < 0m || MaxAnnualRate < MinAnnualRate || MaxAnnualRate >= 1m) return Error.Of(ErrorCodes.ProductRateLimits).At("annualRate");
        if (Methods.Count == 0) return Error.Of(ErrorCodes.ProductMethodsRequired).At("methods");
        if (PenaltyMarkup < 0m || PenaltyMarkup > 1m) return Error.Of(ErrorCodes.ProductPenaltyMarkupRange).At("penaltyMarkup");
        if (GraceDays is < 0 or > 30) return Error.Of(ErrorCodes.ProductGraceDaysRange, 0, 30).At("graceDays");
        if (ReminderLeadDays is < 0 or > 30) return Error.Of(ErrorCodes.ProductReminderLeadDaysRange, 0, 30).At("reminderLeadDays");
        if (Thresholds.Validate() is { } thresholdError) return thresholdError;
        if (CombinedAnnualCost > combinedCostCap && string.IsNullOrWhiteSpace(capOverrideReason))
            return Error.Of(ErrorCodes.ProductCombinedCostOverCap, Percent(CombinedAnnualCost), Percent(combinedCostCap)).At("maxAnnualRate");
        return Result.Success();
    }

    private static string Percent(decimal rate) => (rate * 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %";

    /// <summary>Checks a requested loan against the product's ranges.</summary>
    public Result CheckRequest(decimal amount, int months, decimal annualRate, RepaymentMethod method)
    {
        if (amount < MinAmount || amount > MaxAmount)
            return Error.Of(ErrorCodes.ProductAmountRange, MinAmount, MaxAmount, Name).At("amount");
        if (months < MinMonths || months > MaxMonths)
            return Error.Of(ErrorCodes.ProductTermRange, MinMonths, MaxMonths, Name).At("months");
        if (annualRate < MinAnnualRate || annualRate > MaxAnnualRate)
            return Error.Of(ErrorCodes.ProductRateRange, (MinAnnualRate * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " %", (MaxAnnualRate * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " %", Name).At("annualRate");
        if (!Methods.Contains(method))
            return Error.Of(ErrorCodes.ProductMethodNotOffered, Name, method).At("method");
        return Result.Success();
    }

    /// <summary>Freezes the product's terms for a contract at the agreed rate and method.</summary>
    public ContractTerms Snapshot(decimal annualRate, RepaymentMethod method) =>
        new(Code, annualRate, method, PenaltyMarkup, GraceDays, ReminderLeadDays, 360, Thresholds);
}
