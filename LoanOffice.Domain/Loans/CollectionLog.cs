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
/// The rules of a collection case (催收案件): a loan has an open case while it is overdue (DPD &gt; 0) — the close
/// opens it, a posting or the close that makes the loan current closes it; only an open case takes log entries;
/// an entry has a note (up to 2,000 characters), and a promise to pay a date from today on and an amount in fen.
/// </summary>
public static class CollectionLog
{
    public const int MaxNote = 2000;

    /// <summary>Whether a loan with these days past due has an open case.</summary>
    public static bool CaseIsOpenAt(int daysPastDue) => daysPastDue > 0;

    public static Result<CollectionEntry> Entry(bool caseOpen, DateOnly? closedOn, CollectionActionKind? kind, string? note,
        DateOnly? promisedDate, decimal? promisedAmount, DateOnly today)
    {
        if (kind is not { } k || !Enum.IsDefined(k)) return Error.Of(ErrorCodes.CollectionKindRequired).At("kind");
        if (string.IsNullOrWhiteSpace(note)) return Error.Of(ErrorCodes.CollectionNoteRequired).At("note");
        if (note.Trim().Length > MaxNote) return Error.Of(ErrorCodes.InputTooLong, MaxNote).At("note");
        if (!caseOpen) return Error.Of(ErrorCodes.CollectionClosed, closedOn ?? default);
        if (k != CollectionActionKind.PromiseToPay) return new CollectionEntry(k, note.Trim(), null, null);
        if (promisedDate is not { } date) return Error.Of(ErrorCodes.CollectionPromisedDateRequired).At("promisedDate");
        if (date < today) return Error.Of(ErrorCodes.CollectionPromisedDatePast, today).At("promisedDate");
        if (promisedAmount is not { } amount || amount <= 0m) return Error.Of(ErrorCodes.CollectionPromisedAmountRequired).At("promisedAmount");
        if (decimal.Round(amount, 2) != amount) return Error.Of(ErrorCodes.AmountNotInFen).At("promisedAmount");
        return new CollectionEntry(k, note.Trim(), date, amount);
    }
}
