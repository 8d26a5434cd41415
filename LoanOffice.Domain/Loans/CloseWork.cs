namespace LoanOffice.Domain.Loans;

/// <summary>
/// When the nightly close next has work for a loan, so a night touches only the loans that have some: an overdue
/// installment accrues penalty and ages every day; an unpaid one calls for its reminder <c>reminderLeadDays</c> before
/// its due date and for the overdue notice (and a collection case) on its first day overdue; a paid one asks for
/// nothing. Between those dates nothing about the loan changes, so it "rests" and the close passes it by. The SQL close
/// uses the same rule (<c>lo_next_event</c> in LoanOffice.Data/Sql/LoanRules.sql), tested to agree.
/// </summary>
public static class CloseWork
{
    /// <summary>The first date after <paramref name="closedThrough"/> on which this installment calls for work, or null.</summary>
    public static DateOnly? NextEvent(DateOnly dueDate, int graceDays, int reminderLeadDays, decimal outstanding, DateOnly closedThrough)
    {
        if (outstanding <= 0m) return null;
        var firstOverdue = dueDate.AddDays(graceDays + 1);
        if (closedThrough >= firstOverdue) return closedThrough.AddDays(1); // overdue: every day
        var reminder = dueDate.AddDays(-reminderLeadDays);
        return reminder > closedThrough ? reminder : firstOverdue;
    }

    /// <summary>
    /// The last date through which the close has nothing to do for the loan (the day before its next event; the close
    /// date itself when something is due the next day, or nothing is left to happen).
    /// </summary>
    public static DateOnly RestsUntil(IEnumerable<InstallmentBalance> installments, int graceDays, int reminderLeadDays, DateOnly closedThrough)
    {
        var next = installments
            .Select(i => NextEvent(i.DueDate, graceDays, reminderLeadDays, i.PrincipalOutstanding + i.InterestOutstanding, closedThrough))
            .Where(d => d is not null).Min();
        return next is { } n ? n.AddDays(-1) : closedThrough;
    }

    /// <summary>
    /// The date through which a resting loan's state is known: its last close, or — since nothing changes while it
    /// rests — the end of its rest, but never past the date the close has brought the book to.
    /// </summary>
    public static DateOnly StateThrough(DateOnly closedThrough, DateOnly restsUntil, DateOnly bookClosedThrough) =>
        new[] { closedThrough, new[] { restsUntil, bookClosedThrough }.Min() }.Max();
}
