using Microsoft.EntityFrameworkCore;
using LoanOffice.Data.Auditing;
using LoanOffice.Domain.Loans;

namespace LoanOffice.Data.Servicing;

public enum TransactionKind
{
    /// <summary>还款: allocated by the domain (penalty → compound → overdue → current).</summary>
    Repayment,
    /// <summary>提前还款: broken-period interest plus principal, and a new schedule.</summary>
    Prepayment,
}

/// <summary>
/// A payment received on a loan. Never deleted: a reversal marks it reversed and the loan is re-applied from its
/// value date on. The external reference is unique across the system, so a payment can never be posted twice.
/// </summary>
public sealed class LoanTransaction
{
    public Guid Id { get; set; }
    public Guid LoanId { get; set; }
    public TransactionKind Kind { get; set; }
    public DateOnly ValueDate { get; set; }
    public decimal Amount { get; set; }
    public string Channel { get; set; } = string.Empty;
    public string ExternalReference { get; set; } = string.Empty;
    /// <summary>For a prepayment: the principal repaid ahead and the option chosen.</summary>
    public decimal? PrepaidPrincipal { get; set; }
    public PrepaymentOption? PrepaymentOption { get; set; }
    /// <summary>JSON: where the money went ([{component, installment, amount}]), as last applied.</summary>
    public string Allocation { get; set; } = "[]";
    /// <summary>For a prepayment: the loan's position right after it (JSON), from which later payments are re-applied.</summary>
    public string? StateAfter { get; set; }
    public Guid PostedBy { get; set; }
    public string PostedByName { get; set; } = string.Empty;
    public DateTimeOffset PostedAt { get; set; }
    public DateTimeOffset? ReversedAt { get; set; }
    public Guid? ReversedBy { get; set; }
    public string? ReversalReason { get; set; }
    public uint Version { get; set; }
}

public enum AccrualKind
{
    /// <summary>罚息: overdue principal × penalty daily rate.</summary>
    Penalty,
    /// <summary>复利: unpaid overdue interest × penalty daily rate.</summary>
    Compound,
}

/// <summary>One day's accrual of one kind for one loan (unique per loan, date and kind), unrounded to 6 decimals.</summary>
public sealed class LoanAccrual : INotAudited
{
    public Guid LoanId { get; set; }
    public DateOnly BusinessDate { get; set; }
    public AccrualKind Kind { get; set; }
    /// <summary>The overdue amount the day's accrual was computed on.</summary>
    public decimal Basis { get; set; }
    public decimal Amount { get; set; }
}

public enum ClassSource
{
    Close,
    Manual,
    /// <summary>Recomputed after a back-dated payment or a reversal.</summary>
    Recompute,
    /// <summary>Brought over by the migration import (the class the loan's history gives on the import's date).</summary>
    Import,
}

/// <summary>A change of a loan's five-level class, by the nightly close or by hand.</summary>
public sealed class LoanClassChange : INotAudited
{
    public long Id { get; set; }
    public Guid LoanId { get; set; }
    public DateOnly BusinessDate { get; set; }
    public int DaysPastDue { get; set; }
    public LoanClass? FromClass { get; set; }
    public LoanClass ToClass { get; set; }
    public ClassSource Source { get; set; }
    public string? Reason { get; set; }
    public string Actor { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A loan at risk as the snapshot of <see cref="ValidFrom"/> saw it, holding until <see cref="ValidTo"/> (exclusive)
/// — written by the snapshot step only (PortfolioLoanStates.sql), read by the past dates' drill-downs.
/// </summary>
public sealed class PortfolioLoanState : INotAudited
{
    public Guid LoanId { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public Guid TeamId { get; set; }
    public Guid? OfficerId { get; set; }
    public string ProductCode { get; set; } = string.Empty;
    public RepaymentMethod Method { get; set; }
    public LoanClass Class { get; set; }
    public bool Extended { get; set; }
    public int Bucket { get; set; }
    /// <summary>Days past due on <see cref="ValidFrom"/> (one more each night after while the row holds).</summary>
    public int Dpd { get; set; }
    public decimal PrincipalOutstanding { get; set; }
    public decimal Overdue { get; set; }
}

/// <summary>A schedule replaced by a prepayment or an extension, kept as it was.</summary>
public sealed class LoanScheduleVersion : INotAudited
{
    public long Id { get; set; }
    public Guid LoanId { get; set; }
    public string Reason { get; set; } = string.Empty;
    /// <summary>JSON array of the installments as they were ({number, dueDate, principal, interest, principalPaid, interestPaid}).</summary>
    public string Installments { get; set; } = "[]";
    public DateTimeOffset ReplacedAt { get; set; }
}

public enum CobRunStatus
{
    Running,
    Completed,
    CompletedWithFailures,
    Failed,
    /// <summary>The process running it stopped (no heartbeat): marked so by the next run, which closes what it left.</summary>
    Interrupted,
}

/// <summary>One run of the close of business for one business date (日终批处理), with counts per step.</summary>
public sealed class CobRun : INotAudited
{
    public long Id { get; set; }
    public DateOnly BusinessDate { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
    public CobRunStatus Status { get; set; }
    public string Node { get; set; } = string.Empty;
    public string TriggeredBy { get; set; } = string.Empty;
    /// <summary>The request (page, API or CLI "run now") this run belongs to; null for the schedule's own runs.</summary>
    public Guid? RequestId { get; set; }
    /// <summary>Loans waiting for this date when the run started (for the progress bar).</summary>
    public int LoansToClose { get; set; }
    public int LoansClosed { get; set; }
    public int Accruals { get; set; }
    public int ClassChanges { get; set; }
    public int Reminders { get; set; }
    public int CasesOpened { get; set; }
    public int CasesClosed { get; set; }
    public int Failures { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// A "run the close through this date" request (page, API): recorded before the scheduler takes it, so the caller has
/// an id at once; the runs it produced (one per business date caught up) carry the id.
/// </summary>
public sealed class CobRequest
{
    public Guid Id { get; set; }
    public DateOnly TargetDate { get; set; }
    public string RequestedBy { get; set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; set; }
}

/// <summary>A loan the close could not process for a date: recorded and skipped; the next run tries it again.</summary>
public sealed class CobFailure : INotAudited
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public Guid LoanId { get; set; }
    public DateOnly BusinessDate { get; set; }
    public string Error { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
}

public enum NotificationChannel
{
    Sms,
    InApp,
}

public enum NotificationStatus
{
    Pending,
    Sent,
    Dead,
}

/// <summary>
/// The outbox: written in the same transaction as what caused it, sent later by the dispatcher. The dedupe key is
/// unique (one reminder per installment, kind and channel), so a repeated close never queues a second message.
/// </summary>
public sealed class Notification : INotAudited
{
    public Guid Id { get; set; }
    public string DedupeKey { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public NotificationChannel Channel { get; set; }
    public Guid? LoanId { get; set; }
    public int? InstallmentNumber { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? UserId { get; set; }
    public string Body { get; set; } = string.Empty;
    public NotificationStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

public enum CaseStatus
{
    Open,
    Closed,
}

/// <summary>催收 case: opened by the close when a loan falls overdue, closed when it is current again.</summary>
public sealed class CollectionCase
{
    public Guid Id { get; set; }
    public Guid LoanId { get; set; }
    public Guid TeamId { get; set; }
    public Guid? OfficerId { get; set; }
    public DateOnly OpenedOn { get; set; }
    public CaseStatus Status { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public uint Version { get; set; }

    /// <summary>The domain's case, whose rules decide what may happen to it.</summary>
    public LoanOffice.Domain.Loans.CollectionCase ToDomain() => LoanOffice.Domain.Loans.CollectionCase.Resume(Status == CaseStatus.Open, OpenedOn, ClosedOn);

    /// <summary>Writes the domain case's state back.</summary>
    public void Apply(LoanOffice.Domain.Loans.CollectionCase @case) =>
        (Status, ClosedOn) = (@case.IsOpen ? CaseStatus.Open : CaseStatus.Closed, @case.ClosedOn);
}

public sealed class CollectionAction
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public CollectionActionKind Kind { get; set; }
    public string Note { get; set; } = string.Empty;
    public DateOnly? PromisedDate { get; set; }
    public decimal? PromisedAmount { get; set; }
    public Guid By { get; set; }
    public string ByName { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
}

public enum ExtensionStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>展期 request: a new maturity, approved by a ChiefApprover; the schedule is regenerated from the approval.</summary>
public sealed class LoanExtension
{
    public Guid Id { get; set; }
    public Guid LoanId { get; set; }
    public DateOnly NewMaturity { get; set; }
    public string Reason { get; set; } = string.Empty;
    public ExtensionStatus Status { get; set; }
    public Guid RequestedBy { get; set; }
    public string RequestedByName { get; set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; set; }
    public Guid? DecidedBy { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public DateOnly? EffectiveOn { get; set; }
    public string? Comment { get; set; }
    public uint Version { get; set; }
}

/// <summary>How far the close of business has brought the book.</summary>
public static class BookDate
{
    /// <summary>
    /// The last business date a close has completed (null before the first): a loan resting past it is known through
    /// it, the same date as the loans the close worked on.
    /// </summary>
    public static Task<DateOnly?> ClosedThroughAsync(this LoanOfficeDbContext db, CancellationToken ct = default) =>
        db.CobRuns.Where(r => r.Status == CobRunStatus.Completed || r.Status == CobRunStatus.CompletedWithFailures)
            .MaxAsync(r => (DateOnly?)r.BusinessDate, ct);
}

/// <summary>A bank's repayment-file layout, saved once per bank (批量还款的列映射).</summary>
public sealed class BankMappingRecord
{
    public Guid Id { get; set; }
    public string Code { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Delimiter { get; set; } = ",";
    public bool HasHeader { get; set; } = true;
    public string DateColumn { get; set; } = string.Empty;
    public string AmountColumn { get; set; } = string.Empty;
    public string AccountColumn { get; set; } = string.Empty;
    public string ReferenceColumn { get; set; } = string.Empty;
    public string? MemoColumn { get; set; }
    public string DateFormat { get; set; } = "yyyy-MM-dd";
    public uint Version { get; set; }

    public LoanOffice.Domain.Loans.BankMapping ToDomain() => new(Code, Name, Delimiter == "\\t" ? '\t' : Delimiter[0], HasHeader, DateColumn, AmountColumn,
        AccountColumn, ReferenceColumn, MemoColumn, DateFormat);
}

/// <summary>
/// A line of a bank's repayment file: kept from upload until posted (matched lines in one action, the others from the
/// suspense list by hand). Unique per bank and reference, so a file uploaded twice adds nothing.
/// </summary>
public sealed class BankLineRecord
{
    public Guid Id { get; set; }
    public string BankCode { get; set; } = string.Empty;
    public string FileName { get; set; } = string.Empty;
    public string FileSha256 { get; set; } = string.Empty;
    public int LineNumber { get; set; }
    public DateOnly ValueDate { get; set; }
    public decimal Amount { get; set; }
    public string PayerAccountMasked { get; set; } = string.Empty;
    public string Reference { get; set; } = string.Empty;
    public string Memo { get; set; } = string.Empty;
    public LoanOffice.Domain.Loans.BankLineStatus Status { get; set; }
    public Guid? LoanId { get; set; }
    public List<Guid> Candidates { get; set; } = [];
    public Guid? TransactionId { get; set; }
    /// <summary>Why the last posting attempt was refused (an error code), for the suspense list.</summary>
    public string? Refusal { get; set; }
    public string UploadedBy { get; set; } = string.Empty;
    public DateTimeOffset UploadedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public uint Version { get; set; }
}
