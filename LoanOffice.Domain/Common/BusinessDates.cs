using System.Globalization;

namespace LoanOffice.Domain.Common;

/// <summary>
/// The dates a loan office deals in: from 1900 (a customer's birth) to 2199 (the end of a 30-year loan started in a
/// far planning horizon). Anything outside (year 0001, 9999) is a typing or probing error, refused before any date
/// arithmetic could overflow.
/// </summary>
public static class BusinessDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2199, 12, 31);

    public static bool InRange(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>The refusal of <paramref name="field"/> for a date outside the range.</summary>
    public static Error Refusal(string field, DateOnly date) =>
        Error.Of(ErrorCodes.DateOutOfRange, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).At(field);

    /// <summary>A text that begins like an ISO date (yyyy-MM-dd…): its date, else null.</summary>
    public static DateOnly? Leading(string? text) =>
        text is { Length: >= 10 } && text[4] == '-' && text[7] == '-'
        && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : null;
}
