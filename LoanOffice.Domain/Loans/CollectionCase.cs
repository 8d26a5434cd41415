using LoanOffice.Domain.Common;

namespace LoanOffice.Domain.Loans;

/// <summary>What an officer did on a collection case (催收记录).</summary>
public enum CollectionActionKind
{
    Call,
    Visit,
    NoticePrinted,
    PromiseToPay,
    Outcome,
}

/// <summary>An entry for a case's log, checked: a note always, a promise with its date and amount.</summary>
public sealed record CollectionEntry(CollectionActionKind Kind, string Note, DateOnly? PromisedDate, decimal? PromisedAmount);

/// <summary>
/// A collection case (催收案件), the aggregate of the case's life: a loan has an open case while it is overdue
/// (DPD &gt; 0) — the close opens it, a posting or the close that makes the loan current closes it; only an open case
/// takes log entries; an entry has a note (up to 2,000 characters), and a promise to pay a date from today on and an
/// amount in fen. The close's SQL opens and closes cases by the same rule (<see cref="ShouldBeOpen"/>: the loan is in
/// its overdue set).
/// </summary>
public sealed class CollectionCase
{
    public const int MaxNote = 2000;

    private CollectionCase(bool isOpen, DateOnly openedOn, DateOnly? closedOn) => (IsOpen, OpenedOn, ClosedOn) = (isOpen, openedOn, closedOn);

    public bool IsOpen { get; private set; }
    public DateOnly OpenedOn { get; }
    public DateOnly? ClosedOn { get; private set; }

    /// <summary>A case opened on a loan's first day overdue.</summary>
    public static CollectionCase Open(DateOnly on) => new(true, on, null);

    /// <summary>A stored case.</summary>
    public static CollectionCase Resume(bool isOpen, DateOnly openedOn, DateOnly? closedOn) => new(isOpen, openedOn, closedOn);

    /// <summary>Whether a loan with these days past due has an open case.</summary>
    public static bool ShouldBeOpen(int daysPastDue) => daysPastDue > 0;

    /// <summary>An entry for the log, checked against the case: refused once the case is closed.</summary>
    public Result<CollectionEntry> Log(CollectionActionKind? kind, string? note, DateOnly? promisedDate, decimal? promisedAmount, DateOnly today)
    {
        var entry = CheckEntry(kind, note, promisedDate, promisedAmount, today);
        if (!entry.IsSuccess) return entry;
        return IsOpen ? entry : Error.Of(ErrorCodes.CollectionClosed, ClosedOn ?? default);
    }

    /// <summary>The loan is current again (a posting, a reversal's replay or the close said so): the case closes on that date.</summary>
    public bool CloseWhenCurrent(int daysPastDue, DateOnly on)
    {
        if (!IsOpen || ShouldBeOpen(daysPastDue)) return false;
        (IsOpen, ClosedOn) = (false, on);
        return true;
    }

    /// <summary>The entry's own fields, before any case is read (so a form shows every field error first).</summary>
    public static Result<CollectionEntry> CheckEntry(CollectionActionKind? kind, string? note, DateOnly? promisedDate, decimal? promisedAmount, DateOnly today)
    {
        if (kind is not { } k || !Enum.IsDefined(k)) return Error.Of(ErrorCodes.CollectionKindRequired).At("kind");
        if (string.IsNullOrWhiteSpace(note)) return Error.Of(ErrorCodes.CollectionNoteRequired).At("note");
        if (note.Trim().Length > MaxNote) return Error.Of(ErrorCodes.InputTooLong, MaxNote).At("note");
        if (k != CollectionActionKind.PromiseToPay) return new CollectionEntry(k, note.Trim(), null, null);
        if (promisedDate is not { } date) return Error.Of(ErrorCodes.CollectionPromisedDateRequired).At("promisedDate");
        if (date < today) return Error.Of(ErrorCodes.CollectionPromisedDatePast, today).At("promisedDate");
        if (promisedAmount is not { } amount || amount <= 0m) return Error.Of(ErrorCodes.CollectionPromisedAmountRequired).At("promisedAmount");
        if (decimal.Round(amount, 2) != amount) return Error.Of(ErrorCodes.AmountNotInFen).At("promisedAmount");
        return new CollectionEntry(k, note.Trim(), date, amount);
    }
}
