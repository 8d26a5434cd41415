using System.Globalization;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;

namespace LoanOffice.Web.Features.Calculator;

/// <summary>The calculator's input as the CLI and the API receive it (strings and nullables, validated here once).</summary>
public sealed record ScheduleRequest(string? Method, decimal? Principal, decimal? AnnualRate, int? Months, string? StartDate)
{
    public static readonly string[] MethodNames = Enum.GetNames<RepaymentMethod>();

    /// <summary>Validates every field (naming the field on error) and builds the schedule.</summary>
    public Result<RepaymentSchedule> Build()
    {
        if (string.IsNullOrWhiteSpace(Method)) return Error.ForField("method", $"method is required: one of {string.Join(", ", MethodNames)}.");
        if (!Enum.TryParse<RepaymentMethod>(Method, ignoreCase: false, out var method) || !Enum.IsDefined(method) || int.TryParse(Method, out _))
            return Error.ForField("method", $"Unknown method '{Method}': use one of {string.Join(", ", MethodNames)}.");
        if (Principal is null) return Error.ForField("principal", "principal is required, e.g. 10000.");
        if (AnnualRate is null) return Error.ForField("annualRate", "annualRate is required as a fraction, e.g. 0.08 for 8 %.");
        if (Months is null) return Error.ForField("months", "months is required, e.g. 12.");
        if (string.IsNullOrWhiteSpace(StartDate)) return Error.ForField("startDate", "startDate is required as yyyy-MM-dd.");
        if (!DateOnly.TryParseExact(StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return Error.ForField("startDate", $"startDate '{StartDate}' is not a date in the form yyyy-MM-dd.");
        return ScheduleCalculator.Build(method, Principal.Value, AnnualRate.Value, Months.Value, start);
    }
}
