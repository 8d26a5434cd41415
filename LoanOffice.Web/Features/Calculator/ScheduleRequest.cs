using System.Globalization;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;

namespace LoanOffice.Web.Features.Calculator;

/// <summary>The calculator's input as the CLI and the API receive it (strings and nullables, validated here once).</summary>
public sealed record ScheduleRequest(string? Method, decimal? Principal, decimal? AnnualRate, int? Months, string? StartDate)
{
    public static readonly string[] MethodNames = Enum.GetNames<RepaymentMethod>();

    /// <summary>The highest rate the calculator page takes, in percent (the page asks for a percentage, not a fraction).</summary>
    public const int MaxRatePercent = 36;

    /// <summary>A schedule from a rate typed in percent (12 = 12 %), refused outside 0–36 % in the page's own terms.</summary>
    public static Result<RepaymentSchedule> FromPercent(string? method, decimal? principal, decimal? ratePercent, int? months, string? startDate) =>
        ratePercent is < 0m or > MaxRatePercent
            ? Error.Of(ErrorCodes.CalcRatePercentRange, 0, MaxRatePercent).At("annualRate")
            : new ScheduleRequest(method, principal, ratePercent / 100m, months, startDate).Build();

    /// <summary>Validates every field (naming the field on error) and builds the schedule.</summary>
    public Result<RepaymentSchedule> Build()
    {
        if (string.IsNullOrWhiteSpace(Method)) return Error.Of(ErrorCodes.NotOneOf, "", string.Join(", ", MethodNames)).At("method");
        if (!Enum.TryParse<RepaymentMethod>(Method, ignoreCase: false, out var method) || !Enum.IsDefined(method) || int.TryParse(Method, out _))
            return Error.Of(ErrorCodes.NotOneOf, Method, string.Join(", ", MethodNames)).At("method");
        if (Principal is null) return Error.Of(ErrorCodes.Required, "principal").At("principal");
        if (AnnualRate is null) return Error.Of(ErrorCodes.Required, "annualRate").At("annualRate");
        if (Months is null) return Error.Of(ErrorCodes.Required, "months").At("months");
        if (string.IsNullOrWhiteSpace(StartDate)) return Error.Of(ErrorCodes.Required, "startDate").At("startDate");
        if (!DateOnly.TryParseExact(StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return Error.Of(ErrorCodes.NotADate, StartDate).At("startDate");
        return ScheduleCalculator.Build(method, Principal.Value, AnnualRate.Value, Months.Value, start);
    }
}
