using LoanOffice.Web.Hosting;
using System.Security.Cryptography;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Data.Security;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Domain.Organisation;
using LoanOffice.Domain.Products;
using LoanOffice.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Features.Applications;

/// <summary>Review settings (section "Review").</summary>
public sealed class ReviewOptions
{
    /// <summary>Minutes a reviewer's claim on a file lasts without activity on it (default 15).</summary>
    public int ClaimIdleMinutes { get; set; } = (int)LoanApplication.DefaultClaimIdle.TotalMinutes;

    /// <summary>How often, at most, an open file reports the reviewer's activity (and renews the claim); default 60 s.</summary>
    public int ActivityReportSeconds { get; set; } = 60;

    public TimeSpan ClaimIdle => TimeSpan.FromMinutes(Math.Clamp(ClaimIdleMinutes, 1, 24 * 60));

    public TimeSpan ActivityReportInterval => TimeSpan.FromSeconds(Math.Clamp(ActivityReportSeconds, 1, Math.Max(1, ClaimIdleMinutes * 30)));
}

/// <summary>Committee settings (section "Committee").</summary>
public sealed class CommitteeOptions
{
    /// <summary>
    /// Roles that see the committee's recorded decision in full (each member's vote and comment). DOMAIN.md: GM, regional
    /// director, team lead and the officer; also the chief approver (final review) and compliance (reads everything).
    /// Everyone else who can see the file sees only the outcome and the approved figures.
    /// </summary>
    /// Configured as a comma-separated list of role names.
    public string DecisionVisibleTo { get; set; } = string.Join(",",
        Roles.GeneralManager, Roles.RegionalDirector, Roles.TeamLead, Roles.LoanOfficer, Roles.ChiefApprover, Roles.Compliance);

    public IReadOnlySet<string> RolesSeeingVotes =>
        DecisionVisibleTo.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>An uploaded file as the browser sent it.</summary>
public sealed record UploadedFile(string FileName, string DocumentType, byte[] Content);

/// <summary>
/// The commands of origination outside voting: pool assignment, the officer's file and documents, preliminary
/// review, final review, contract and disbursement. Each command: one short DbContext, one transaction, the domain's
/// rules, the caller's role and scope, optimistic concurrency on xmin, and a NOTIFY for open queues.
/// </summary>
public sealed class ApplicationWorkflow(ActorContext context, PersonalDataProtector pii, IOptions<ReviewOptions> review)
{
    public const long MaxDocumentBytes = 10 * 1024 * 1024;

    public Task<Result> AssignAsync(Guid applicationId, Guid officerId, uint version) =>
        Command(applicationId, version, async (db, app, actor, now) =>
        {
            var officer = await db.Users.AsNoTracking().Where(u => u.Id == officerId).Select(u => new { u.Id, u.TeamId }).SingleOrDefaultAsync();
            if (officer is null || officer.TeamId != app.TeamId) return Error.Of(ErrorCodes.ApplicationOfficerNotInTeam).At("officerId");
            var isOfficer = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id
                                   where ur.UserId == officerId && r.Name == Roles.LoanOfficer select ur).AnyAsync();
            if (!isOfficer) return Error.Of(ErrorCodes.ApplicationNotAnOfficer).At("officerId");
            var selfAssign = await db.Teams.Where(t => t.Id == app.TeamId).Select(t => t.AllowSelfAssignment).SingleAsync();
            return app.Assign(officerId, actor, selfAssign, now);
        });

    public Task<Result> ReassignAsync(Guid applicationId, Guid officerId, string? reason, uint version) =>
        Command(applicationId, version, async (db, app, actor, now) =>
        {
            var officer = await db.Users.AsNoTracking().Where(u => u.Id == officerId).Select(u => u.TeamId).SingleOrDefaultAsync();
            if (officer != app.TeamId) return Error.Of(ErrorCodes.ApplicationOfficerNotInTeam).At("officerId");
            return app.Reassign(officerId, actor, reason, now);
        });

    public Task<Result> StartCollectingAsync(Guid applicationId, uint version) =>
        Command(applicationId, version, (_, app, actor, now) => Task.FromResult(app.StartCollecting(actor, now)));

    public Task<Result> UpdateFileAsync(Guid applicationId, string? notes, decimal proposedRate, uint version) =>
        Command(applicationId, version, async (db, app, actor, _) =>
        {
            var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Id == app.ProductId)).ToDomain();
            if (proposedRate < product.MinAnnualRate || proposedRate > product.MaxAnnualRate)
                return Error.Of(ErrorCodes.ApplicationRateOutOfRange, (product.MinAnnualRate * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " %", (product.MaxAnnualRate * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " %", product.Name).At("proposedRate");
            return app.UpdateFile(actor, notes, proposedRate);
        });

    /// <summary>Stores a document: type by content (JPEG, PNG, PDF), size limit, SHA-256; only the assigned officer while collecting.</summary>
    public async Task<Result<Guid>> UploadAsync(Guid applicationId, UploadedFile file)
    {
        if (file.Content.Length == 0) return Error.Of(ErrorCodes.DocumentEmpty).At("file");
        if (file.Content.Length > MaxDocumentBytes) return Error.Of(ErrorCodes.DocumentTooLarge, MaxDocumentBytes / 1024 / 1024).At("file");
        var contentType = Sniff(file.Content);
        if (contentType is null) return Error.Of(ErrorCodes.DocumentType).At("file");
        if (string.IsNullOrWhiteSpace(file.DocumentType)) return Error.Of(ErrorCodes.DocumentTypeRequired).At("documentType");
        if (DocumentScreening.Screen(file.Content, contentType) is { } refused) return refused;
        byte[]? thumbnail = null;
        if (contentType.StartsWith("image/", StringComparison.Ordinal))
        {
            thumbnail = DocumentImages.Thumbnail(file.Content);
            if (thumbnail is null) return Error.Of(ErrorCodes.DocumentUnreadable).At("file");
        }

        var documentId = Guid.CreateVersion7();
        var result = await Command(applicationId, null, async (db, app, actor, now) =>
        {
            if (app.State != ApplicationState.Collecting) return Error.Of(ErrorCodes.DocumentNotCollecting);
            if (app.AssignedOfficerId != actor.UserId) return Error.Of(ErrorCodes.ApplicationAssignedOfficerOnly);
            db.ApplicationDocuments.Add(new ApplicationDocument
            {
                Id = documentId, ApplicationId = app.Id, DocumentType = file.DocumentType.Trim(),
                FileName = Path.GetFileName(file.FileName), ContentType = contentType, Size = file.Content.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Content)), UploadedBy = actor.UserId, UploadedAt = now,
            });
            db.ApplicationDocumentContents.Add(new ApplicationDocumentContent { DocumentId = documentId, Content = file.Content, Thumbnail = thumbnail });
            await Task.CompletedTask;
            return Result.Success();
        });
        return result.IsSuccess ? documentId : result.Error!;
    }

    public static string? Sniff(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) ? "image/png"
        : b.Length >= 5 && b[..5].SequenceEqual("%PDF-"u8) ? "application/pdf"
        : null;

    /// <summary>The product's required documents not yet uploaded.</summary>
    public static async Task<IReadOnlyList<string>> MissingDocumentsAsync(LoanOfficeDbContext db, LoanApplication app)
    {
        var required = await db.Products.Where(p => p.Id == app.ProductId).Select(p => p.RequiredDocuments).SingleAsync();
        var present = await db.ApplicationDocuments.Where(d => d.ApplicationId == app.Id).Select(d => d.DocumentType).Distinct().ToListAsync();
        return required.Except(present).ToList();
    }

    public Task<Result> SubmitAsync(Guid applicationId, uint version) =>
        Command(applicationId, version, async (db, app, actor, now) => app.Submit(actor, await MissingDocumentsAsync(db, app), now));

    public Task<Result> ClaimAsync(Guid applicationId) =>
        Command(applicationId, null, (_, app, actor, now) => Task.FromResult(app.Claim(actor, now, review.Value.ClaimIdle)));

    /// <summary>The reviewer holding the file is active on it: the claim's expiry moves out by the idle period.</summary>
    /// Recorded beside the file (not on it), so the file's version does not change under the reviewer's feet.
    public async Task<Result> RenewClaimAsync(Guid applicationId)
    {
        var actor = await context.ActorAsync();
        if (actor is null) return ActorContext.NotSignedIn;
        await using var db = await context.OpenAsync();
        var until = context.Now + review.Value.ClaimIdle;
        var preliminary = nameof(ApplicationState.PreliminaryReview);
        var renewed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
             INSERT INTO claim_heartbeats ("ApplicationId", "UserId", "ExpiresAt")
             SELECT a."Id", {actor.UserId}, {until} FROM applications a
             WHERE a."Id" = {applicationId} AND a."ClaimedBy" = {actor.UserId} AND a."State" = {preliminary}
             ON CONFLICT ("ApplicationId") DO UPDATE SET "UserId" = excluded."UserId", "ExpiresAt" = excluded."ExpiresAt"
             """);
        return renewed == 1 ? Result.Success() : Error.Of(ErrorCodes.ApplicationClaimLost);
    }

    public Task<Result> PassReviewAsync(Guid applicationId, string? comment, uint version) =>
        Command(applicationId, version, (_, app, actor, now) => Task.FromResult(app.PassReview(actor, comment, now)));

    public Task<Result> ReturnAsync(Guid applicationId, string? reason, uint version) =>
        Command(applicationId, version, (_, app, actor, now) => Task.FromResult(app.Return(actor, reason, now)));

    public Task<Result> RejectAsync(Guid applicationId, string? reason, uint version) =>
        Command(applicationId, version, (_, app, actor, now) => Task.FromResult(app.Reject(actor, reason, now)));

    public Task<Result> WithdrawAsync(Guid applicationId, string? reason, uint version) =>
        Command(applicationId, version, (_, app, actor, now) => Task.FromResult(app.Withdraw(actor, reason, now)));

    public Task<Result> ConfirmFinalReviewAsync(Guid applicationId, string? comment, uint version) =>
        Command(applicationId, version, (_, app, actor, now) => Task.FromResult(app.ConfirmFinalReview(actor, comment, now)), IntranetActions.FinalReview);

    /// <summary>借款合同: a number, the signing date and the frozen terms of the product at the approved rate.</summary>
    public async Task<Result<string>> SignContractAsync(Guid applicationId, DateOnly signedOn, uint version)
    {
        string? number = null;
        var result = await Command(applicationId, version, async (db, app, actor, now) =>
        {
            if (app.State != ApplicationState.Approved) return Error.Of(ErrorCodes.ApplicationNotApproved);
            var approvedAt = app.Transitions.Where(t => t.To == ApplicationState.Approved).Select(t => t.At).DefaultIfEmpty(now).Max();
            if (LoanApplication.CheckContractDate(signedOn, ChinaDate(approvedAt), ChinaDate(now)) is { } badDate) return badDate;
            var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Id == app.ProductId)).ToDomain();
            number = await ActorContext.NextContractNumberAsync(db, now);
            var terms = product.Snapshot(app.ApprovedRate!.Value, app.Method);
            db.Contracts.Add(new Contract
            {
                Id = Guid.CreateVersion7(), Number = number, ApplicationId = app.Id, SignedOn = signedOn,
                Amount = app.ApprovedAmount!.Value, Months = app.ApprovedMonths!.Value, AnnualRate = app.ApprovedRate.Value, Method = app.Method,
                TermsSnapshot = System.Text.Json.JsonSerializer.Serialize(terms), CreatedBy = actor.UserId, CreatedAt = now,
            });
            return app.MarkContracted(actor, number, now);
        }, IntranetActions.Contract);
        return result.IsSuccess ? number! : result.Error!;
    }

    private static DateOnly ChinaDate(DateTimeOffset at) => DateOnly.FromDateTime(Components.Shared.Fmt.ToChina(at).DateTime);

    /// <summary>放款: creates the loan and its schedule from the domain engine; the bank reference is unique.</summary>
    /// <summary>
    /// Everything a disbursement checks, every field at once, changing nothing: the form asks for the irreversible
    /// confirmation only once this passes (and the disbursement checks it all again under the row lock).
    /// </summary>
    public async Task<Result> CheckDisbursementAsync(Guid applicationId, DateOnly date, decimal amount, string? account, string? bankReference)
    {
        if (await context.ActorAsync() is null) return ActorContext.NotSignedIn;
        await using var db = await context.OpenAsync();
        var app = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicationId);
        if (app is null) return ActorContext.NotFound;
        if (!ActorContext.MaySee(await context.ScopeAsync(), app.TeamId, app.AssignedOfficerId, app.State)) return ActorContext.OutOfScope;
        var contract = await db.Contracts.AsNoTracking().SingleOrDefaultAsync(c => c.ApplicationId == applicationId);
        return await DisbursementErrorsAsync(db, app, contract, date, amount, account, bankReference, ChinaDate(context.Now)) is { } invalid
            ? invalid : Result.Success();
    }

    private static async Task<Error?> DisbursementErrorsAsync(LoanOfficeDbContext db, LoanApplication app, Contract? contract, DateOnly date, decimal amount,
        string? account, string? bankReference, DateOnly today)
    {
        if (app.State != ApplicationState.Contracted || contract is null) return Error.Of(ErrorCodes.DisbursementNotContracted);
        var errors = new List<Error>();
        if (LoanApplication.CheckDisbursementDate(date, contract.SignedOn, today) is { } badDate) errors.Add(badDate);
        if (amount != contract.Amount) errors.Add(Error.Of(ErrorCodes.DisbursementAmountNotContracted, contract.Amount).At("amount"));
        var card = BankCardNumber.Validate(account);
        if (!card.IsSuccess) errors.Add(card.Error! with { Field = "account" });
        if (string.IsNullOrWhiteSpace(bankReference) || bankReference.Trim().Length > 64)
            errors.Add(Error.Of(ErrorCodes.DisbursementBankReferenceRequired).At("bankReference"));
        else if (await db.Loans.AnyAsync(l => l.BankReference == bankReference.Trim()))
            errors.Add(Error.Of(ErrorCodes.DisbursementBankReferenceTaken).At("bankReference"));
        return Error.Combine(errors);
    }

    public async Task<Result<string>> DisburseAsync(Guid applicationId, DateOnly date, decimal amount, string? account, string? bankReference, uint version)
    {
        var card = BankCardNumber.Validate(account);
        string? loanNumber = null;
        var result = await Command(applicationId, version, async (db, app, actor, now) =>
        {
            var contract = await db.Contracts.SingleOrDefaultAsync(c => c.ApplicationId == app.Id);
            var invalid = await DisbursementErrorsAsync(db, app, contract, date, amount, account, bankReference, ChinaDate(now));
            if (invalid is not null || contract is null) return invalid ?? Error.Of(ErrorCodes.DisbursementNotContracted);
            var schedule = ScheduleCalculator.Build(contract.Method, contract.Amount, contract.AnnualRate, contract.Months, date);
            if (!schedule.IsSuccess) return schedule.Error!;
            loanNumber = await ActorContext.NextLoanNumberAsync(db, now);
            var terms = System.Text.Json.JsonSerializer.Deserialize<ContractTerms>(contract.TermsSnapshot)!;
            var loan = new Loan
            {
                Id = Guid.CreateVersion7(), Number = loanNumber, ApplicationId = app.Id, ContractId = contract.Id, CustomerId = app.CustomerId,
                TeamId = app.TeamId, OfficerId = app.AssignedOfficerId, Principal = contract.Amount, AnnualRate = contract.AnnualRate,
                Months = contract.Months, Method = contract.Method, DisbursedOn = date, BankAccountMasked = BankCardNumber.Mask(card.Value!),
                BankReference = bankReference!.Trim(), TermsSnapshot = contract.TermsSnapshot, CreatedAt = now,
                PenaltyMarkup = terms.PenaltyMarkup, GraceDays = terms.GraceDays, ReminderLeadDays = terms.ReminderLeadDays,
                PenaltyAnnualRate = OverdueAccrual.PenaltyAnnualRate(contract.AnnualRate, terms.PenaltyMarkup),
                ClosedThrough = date, DpdClass = LoanClass.Normal, Class = LoanClass.Normal,
                Installments = schedule.Value!.Installments.Select(l => new LoanInstallment
                {
                    Number = l.Number, DueDate = l.DueDate, Principal = l.Principal, Interest = l.Interest,
                }).ToList(),
            };
            loan.ScheduleNextClose();
            db.Loans.Add(loan);
            var customer = await db.Customers.SingleAsync(c => c.Id == app.CustomerId);
            customer.BankAccountCipher = pii.Encrypt(card.Value!);
            customer.BankAccountMasked = BankCardNumber.Mask(card.Value!);
            // the repayment card: a bank file's payer account finds the loan by it (批量还款)
            customer.BankAccountHash = pii.LookupHash(card.Value!);
            return app.MarkDisbursed(actor, loanNumber, now);
        }, IntranetActions.Disbursement);
        return result.IsSuccess ? loanNumber! : result.Error!;
    }

    /// <summary>Load (scope-checked, version-pinned) → domain command → save and notify, in one transaction.</summary>
    internal async Task<Result> Command(Guid applicationId, uint? version,
        Func<LoanOfficeDbContext, LoanApplication, Actor, DateTimeOffset, Task<Result>> work, string? intranetAction = null)
    {
        var actor = await context.ActorAsync();
        if (actor is null) return ActorContext.NotSignedIn;
        // the approval actions only from the company's networks (IntranetPolicy), the refusal audited
        if (intranetAction is not null && await context.RequireIntranetAsync(intranetAction, "Application", applicationId) is { } outside) return outside;
        await using var db = await context.OpenAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var (app, error) = await context.LoadForCommandAsync(db, applicationId, version);
        if (error is not null) return error;
        var now = context.Now;
        var result = await work(db, app!, actor, now);
        if (!result.IsSuccess) return result;
        var saved = await context.SaveAsync(db, applicationId);
        if (!saved.IsSuccess) return saved;
        await ApplicationEvents.NotifyAsync(db, applicationId);
        await tx.CommitAsync();
        return Result.Success();
    }
}
