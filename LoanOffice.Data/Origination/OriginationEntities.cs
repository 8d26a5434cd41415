using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Products;

namespace LoanOffice.Data.Origination;

/// <summary>A loan product as stored; <see cref="ToDomain"/> gives the rules object.</summary>
public sealed class ProductRecord
{
    public Guid Id { get; set; }
    public string Code { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public ProductKind Kind { get; set; }
    public decimal MinAmount { get; set; }
    public decimal MaxAmount { get; set; }
    public int MinMonths { get; set; }
    public int MaxMonths { get; set; }
    public decimal MinAnnualRate { get; set; }
    public decimal MaxAnnualRate { get; set; }
    public List<string> Methods { get; set; } = [];
    public decimal PenaltyMarkup { get; set; }
    public int GraceDays { get; set; }
    public int ReminderLeadDays { get; set; } = 3;
    public decimal MinimumRuleSpread { get; set; } = 0.10m;
    public decimal MedianRuleSpread { get; set; } = 0.30m;
    public int TermSpreadMonths { get; set; } = 6;
    public decimal AmountUnit { get; set; } = 100m;
    public List<string> RequiredDocuments { get; set; } = [];
    public bool Active { get; set; } = true;
    public uint Version { get; set; }

    public LoanProduct ToDomain() => new(Code, Name, Kind, MinAmount, MaxAmount, MinMonths, MaxMonths, MinAnnualRate, MaxAnnualRate,
        Methods.Select(Enum.Parse<RepaymentMethod>).ToList(), PenaltyMarkup, GraceDays, ReminderLeadDays,
        new ApprovalThresholds(MinimumRuleSpread, MedianRuleSpread, TermSpreadMonths, AmountUnit), RequiredDocuments);
}

/// <summary>District → team routing of incoming applications.</summary>
public sealed class DistrictRoute
{
    public string District { get; set; } = string.Empty;
    public Guid TeamId { get; set; }
}

/// <summary>A channel system (WeChat form, website) allowed to post applications; only the key's hash is stored.</summary>
public sealed class IntakeChannel
{
    public Guid Id { get; set; }
    public string Code { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public byte[] KeyHash { get; set; } = [];
    public bool Active { get; set; } = true;
}

/// <summary>Remembers the answer to an Idempotency-Key so a retried submission never creates a second application.</summary>
public sealed class IdempotencyRecord : Auditing.INotAudited
{
    public string Channel { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;
    public string RequestHash { get; set; } = string.Empty;
    public Guid ApplicationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A customer (客户), shared across the company and deduplicated by resident ID. ID, mobile and bank account are
/// personal financial information: stored encrypted (AES-GCM) and found through a keyed hash.
/// </summary>
public sealed class Customer
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public byte[] ResidentIdCipher { get; set; } = [];
    public byte[] ResidentIdHash { get; set; } = [];
    public string ResidentIdMasked { get; set; } = string.Empty;
    public byte[] MobileCipher { get; set; } = [];
    public byte[] MobileHash { get; set; } = [];
    public string MobileMasked { get; set; } = string.Empty;
    public byte[]? BankAccountCipher { get; set; }
    public string? BankAccountMasked { get; set; }
    /// <summary>The repayment card's keyed hash: how a bank file's payer account finds the customer (批量还款).</summary>
    public byte[]? BankAccountHash { get; set; }
    /// <summary>The address as the customer gave it (brought over by the migration import; optional).</summary>
    public string? Address { get; set; }
    public string District { get; set; } = string.Empty;
    /// <summary>Where the customer is (WGS-84): from the first visit's photo, or set by the officer; visits are verified against it.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>"photo" or "officer".</summary>
    public string? LocationSource { get; set; }
    public DateTimeOffset? LocationSetAt { get; set; }
    public Guid TeamId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint Version { get; set; }
}

/// <summary>A document or photo of an application (stored in PostgreSQL; type checked by content).</summary>
public sealed class ApplicationDocument
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string DocumentType { get; set; } = string.Empty;
    public string FileName { get; set; } = string.Empty;
    public string ContentType { get; set; } = string.Empty;
    public long Size { get; set; }
    public string Sha256 { get; set; } = string.Empty;
    public Guid UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>The bytes of a document, apart from its metadata so listings never load them.</summary>
public sealed class ApplicationDocumentContent : Auditing.INotAudited
{
    public Guid DocumentId { get; set; }
    public byte[] Content { get; set; } = [];
    /// <summary>A small JPEG for the document list (images only).</summary>
    public byte[]? Thumbnail { get; set; }
}

/// <summary>One approver's vote in centralized approval (one per approver and file: a unique key).</summary>
public sealed class ApprovalVoteRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid ApproverId { get; set; }
    public string ApproverName { get; set; } = string.Empty;
    public bool Approve { get; set; }
    public decimal? Amount { get; set; }
    public int? Months { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset CastAt { get; set; }
    /// <summary>The approval round (a file returned and approved again starts a new round).</summary>
    public int Round { get; set; }
}

/// <summary>
/// The latest activity of the reviewer holding a file: their claim lasts until <see cref="ExpiresAt"/>. Kept apart from
/// the application row so that a heartbeat never changes the file's version (and never trips the holder's own
/// optimistic-concurrency check). Not audited: taking the claim is.
/// </summary>
public sealed class ClaimHeartbeat : Auditing.INotAudited
{
    public Guid ApplicationId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The result of aggregating a round of votes, kept for the dispute screen and the approval report.</summary>
public sealed class ApprovalDecisionRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public int Round { get; set; }
    public string Outcome { get; set; } = string.Empty;
    public decimal? Amount { get; set; }
    public int? Months { get; set; }
    public string? AmountRule { get; set; }
    public string? TermRule { get; set; }
    /// <summary>English rendering at decision time, kept as the audit wording; screens render <see cref="Basis"/> per language.</summary>
    public string Explanation { get; set; } = string.Empty;
    /// <summary>JSON of the domain's AggregationBasis (voted amounts, terms, rejecters by name, medians, thresholds).</summary>
    public string? Basis { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public Guid? SettledBy { get; set; }
    public string? SettledByName { get; set; }
    public string? SettlementComment { get; set; }
}

/// <summary>A loan committee meeting (审贷会) of a committee-mode team.</summary>
public sealed class CommitteeMeeting
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public DateOnly MeetingDate { get; set; }
    /// <summary>The members (staff users), in the order chosen.</summary>
    public List<Guid> MemberIds { get; set; } = [];
    /// <summary>The members' display names when the meeting was planned (for the minutes and the approval report).</summary>
    public List<string> Members { get; set; } = [];
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint Version { get; set; }
}

/// <summary>A file on a meeting's agenda, and the decision the secretary records after the meeting.</summary>
public sealed class CommitteeAgendaItem
{
    public Guid Id { get; set; }
    public Guid MeetingId { get; set; }
    public Guid ApplicationId { get; set; }
    public bool? Approved { get; set; }
    public decimal? Amount { get; set; }
    public int? Months { get; set; }
    public decimal? AnnualRate { get; set; }
    public string? Conditions { get; set; }
    /// <summary>JSON array of {memberId, member, approve, comment}.</summary>
    public string MemberVotes { get; set; } = "[]";
    /// <summary>The minutes of the discussion of this file (会议纪要).</summary>
    public string? Minutes { get; set; }
    public Guid? RecordedBy { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
}

/// <summary>借款合同: number, signing date and the frozen terms.</summary>
public sealed class Contract
{
    public Guid Id { get; set; }
    public string Number { get; set; } = string.Empty;
    public Guid ApplicationId { get; set; }
    public DateOnly SignedOn { get; set; }
    public decimal Amount { get; set; }
    public int Months { get; set; }
    public decimal AnnualRate { get; set; }
    public RepaymentMethod Method { get; set; }
    /// <summary>JSON of the ContractTerms snapshot.</summary>
    public string TermsSnapshot { get; set; } = "{}";
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A disbursed loan (放款后): created with its schedule from the domain engine.</summary>
public sealed class Loan
{
    public Guid Id { get; set; }
    public string Number { get; set; } = string.Empty;
    public Guid ApplicationId { get; set; }
    public Guid ContractId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid TeamId { get; set; }
    public Guid? OfficerId { get; set; }
    public decimal Principal { get; set; }
    public decimal AnnualRate { get; set; }
    public int Months { get; set; }
    public RepaymentMethod Method { get; set; }
    public DateOnly DisbursedOn { get; set; }
    public string BankAccountMasked { get; set; } = string.Empty;
    public string BankReference { get; set; } = string.Empty;
    /// <summary>Active, Overdue (DPD &gt; 0, set by the close and by every posting), Settled — the domain's <see cref="LoanStatus"/>.</summary>
    public LoanStatus Status { get; set; } = LoanStatus.Active;
    public string TermsSnapshot { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>From the contract's terms: markup, grace days, reminder lead days, and the penalty rate per year
    /// annual × (1 + markup), exact, so the nightly SQL and the domain compute a day's penalty as basis × it ÷ 360.</summary>
    public decimal PenaltyMarkup { get; set; }
    public decimal PenaltyAnnualRate { get; set; }
    public int GraceDays { get; set; }
    public int ReminderLeadDays { get; set; } = 3;
    /// <summary>The last business date the close of business has processed for this loan (exactly once per date).</summary>
    public DateOnly ClosedThrough { get; set; }
    /// <summary>
    /// The close has nothing to do for the loan through this date (<see cref="LoanOffice.Domain.Loans.CloseWork"/>): it
    /// picks the loan again on the day after. Never before <see cref="ClosedThrough"/>.
    /// </summary>
    public DateOnly RestsUntil { get; set; }
    public int DaysPastDue { get; set; }
    public LoanClass DpdClass { get; set; }
    public LoanClass? ManualClass { get; set; }
    public string? ManualClassReason { get; set; }
    /// <summary>The class in force: the DPD class, or a worse manual one.</summary>
    public LoanClass Class { get; set; }
    public decimal PenaltyPaid { get; set; }
    public decimal CompoundPaid { get; set; }
    /// <summary>The loan's product (from its application; the database fills it in when the loan row is inserted).</summary>
    public string ProductCode { get; private set; } = string.Empty;
    /// <summary>
    /// The position the cockpit, the snapshot and the lists read off the row, so they never sum the installments of a
    /// million loans: outstanding principal, and the overdue amount (unpaid principal and interest of the installments
    /// past due plus grace on <see cref="ClosedThrough"/>). Kept by <see cref="RefreshPosition"/> on every EF save
    /// (LoanPositionInterceptor), by the close's classify step and by <c>lo_refresh_positions</c> for bulk SQL writers.
    /// </summary>
    public decimal PrincipalOutstanding { get; private set; }
    public decimal OverdueAmount { get; private set; }
    /// <summary>An extension (展期) was approved for the loan (the cockpit's "extended" cells and switch).</summary>
    public bool Extended { get; set; }
    public DateOnly? SettledOn { get; set; }
    /// <summary>When a payment was last posted or reversed: every such change rewrites the loan row, so its version moves.</summary>
    public DateTimeOffset? LastPostedAt { get; set; }
    public uint Version { get; set; }
    public List<LoanInstallment> Installments { get; set; } = [];

    /// <summary>The terms the domain's <see cref="LoanOffice.Domain.Loans.Loan"/> replays this loan with.</summary>
    public LoanTerms Terms => new(Method, Principal, AnnualRate, Months, DisbursedOn, PenaltyMarkup, GraceDays);

    /// <summary>Open loans (the close and the servicing commands work on these).</summary>
    public static readonly LoanStatus[] OpenStatuses = [LoanStatus.Active, LoanStatus.Overdue];

    public bool IsOpen => Status is LoanStatus.Active or LoanStatus.Overdue;

    /// <summary>The installments' outstanding amounts, as the domain's rules read them.</summary>
    public IEnumerable<LoanOffice.Domain.Loans.InstallmentBalance> Balances() =>
        Installments.Select(i => new LoanOffice.Domain.Loans.InstallmentBalance(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid));

    /// <summary>
    /// Before a posting or a quote: a loan resting past the book's last close is taken to that date (nothing happened
    /// to it in between), so the command works on the same date as for a loan the close worked on.
    /// </summary>
    public void BringForward(DateOnly? bookClosedThrough)
    {
        if (bookClosedThrough is { } book) ClosedThrough = LoanOffice.Domain.Loans.CloseWork.StateThrough(ClosedThrough, RestsUntil, book);
    }

    /// <summary>The stored position from the installments, by the domain's overdue rule (lo_refresh_positions is its SQL twin).</summary>
    public void RefreshPosition()
    {
        var balances = Balances().ToList();
        PrincipalOutstanding = balances.Sum(b => b.PrincipalOutstanding);
        OverdueAmount = LoanOffice.Domain.Loans.PaymentAllocator.OverdueAmount(balances, ClosedThrough, GraceDays);
    }

    /// <summary>After any change to what is owed: when the close next has work for the loan.</summary>
    public void ScheduleNextClose() =>
        RestsUntil = LoanOffice.Domain.Loans.CloseWork.RestsUntil(Balances(), GraceDays, ReminderLeadDays, ClosedThrough);
}

public sealed class LoanInstallment
{
    public Guid LoanId { get; set; }
    public int Number { get; set; }
    public DateOnly DueDate { get; set; }
    public decimal Principal { get; set; }
    public decimal Interest { get; set; }
    public decimal PrincipalPaid { get; set; }
    public decimal InterestPaid { get; set; }
}
