namespace LoanOffice.Domain.Portfolio;

/// <summary>A reporting period of business dates, both ends included.</summary>
public sealed record ReportingPeriod(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}

/// <summary>The period a dashboard reports lending and collections for, and the two it is compared with.</summary>
public sealed record PeriodComparison(ReportingPeriod Current, ReportingPeriod Previous, ReportingPeriod YearEarlier, bool MonthToDate);

public static class ReportingPeriods
{
    /// <summary>
    /// The period ending on the as-of date. Without a start: the month to date, compared with the whole previous month
    /// and the whole same month a year earlier. With a start: from it, compared with the same number of days just
    /// before it and with the same dates a year earlier. Null when the start is after the as-of date.
    /// </summary>
    public static PeriodComparison? Of(DateOnly? from, DateOnly asOf)
    {
        var monthStart = new DateOnly(asOf.Year, asOf.Month, 1);
        if (from is not { } start || start == monthStart)
        {
            var yearEarlier = monthStart.AddYears(-1);
            return new PeriodComparison(new(monthStart, asOf), new(monthStart.AddMonths(-1), monthStart.AddDays(-1)),
                new(yearEarlier, yearEarlier.AddMonths(1).AddDays(-1)), true);
        }

        if (start > asOf) return null;
        var current = new ReportingPeriod(start, asOf);
        return new PeriodComparison(current, new(start.AddDays(-current.Days), start.AddDays(-1)), new(start.AddYears(-1), asOf.AddYears(-1)), false);
    }
}
