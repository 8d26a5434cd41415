using System.Security.Cryptography;
using LoanOffice.Data;
using LoanOffice.Data.Security;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using LoanOffice.Domain.Validation;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

/// <param name="Added">Lines new to LoanOffice (a line is kept once per bank and reference).</param>
/// <param name="AlreadyUploaded">Lines an earlier upload brought already (the same file again adds nothing).</param>
public sealed record BankUpload(string FileName, string Sha256, int Lines, int Added, int AlreadyUploaded, IReadOnlyList<(int Line, Error Error)> Problems,
    IReadOnlyList<BankLineRow> Rows);

public sealed record BankLineRow(Guid Id, string BankCode, string FileName, int Line, DateOnly ValueDate, decimal Amount, string PayerAccount,
    string Reference, string Memo, BankLineStatus Status, string? LoanNumber, string? Customer, IReadOnlyList<string> Candidates, string? Refusal,
    string? ResolvedBy, uint Version)
{
    /// <summary>In suspense: waiting for a person (unmatched, ambiguous, or matched but refused at posting).</summary>
    public bool InSuspense => Status is BankLineStatus.Unmatched or BankLineStatus.Ambiguous || Status == BankLineStatus.Matched && Refusal is not null;
}

public sealed record BankPosting(int Posted, int Refused, int Duplicates);

/// <summary>
/// 批量还款: Finance uploads a bank's daily file (read by the bank's saved column mapping), every line is matched to a
/// loan (the payer's repayment card, or a loan number in the memo) and kept — matched, ambiguous, unmatched, or a
/// duplicate of a payment already posted; the matched lines are then posted in one action through the same posting
/// as the loan page (penalty → compound → overdue → current; the bank's reference as the payment's, so nothing is
/// posted twice), and the others wait in the suspense list until someone assigns them to a loan. Every change of a
/// line is audited.
/// </summary>
public sealed class BankFileService(ActorContext context, PersonalDataProtector pii, LoanServicing servicing)
{
    private static Error FinanceOnly => Error.Of(ErrorCodes.FinanceOnly);

    public async Task<IReadOnlyList<BankMappingRecord>> MappingsAsync(CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        return await db.BankMappings.AsNoTracking().OrderBy(m => m.Code).ToListAsync(ct);
    }

    public async Task<Result> SaveMappingAsync(BankMapping mapping, CancellationToken ct = default)
    {
        if (await FinanceAsync(ct) is { } refused) return refused;
        if (mapping.Validate() is { IsSuccess: false } invalid) return invalid;
        await using var db = await context.OpenAsync(ct);
        var row = await db.BankMappings.SingleOrDefaultAsync(m => m.Code == mapping.Code, ct);
        if (row is null) db.BankMappings.Add(row = new BankMappingRecord { Id = Guid.CreateVersion7(), Code = mapping.Code.Trim() });
        row.Name = mapping.Name.Trim();
        row.Delimiter = mapping.Delimiter == '\t' ? "\\t" : mapping.Delimiter.ToString();
        (row.HasHeader, row.DateColumn, row.AmountColumn, row.AccountColumn, row.ReferenceColumn, row.MemoColumn, row.DateFormat) =
            (mapping.HasHeader, mapping.DateColumn.Trim(), mapping.AmountColumn.Trim(), mapping.AccountColumn.Trim(), mapping.ReferenceColumn.Trim(),
             string.IsNullOrWhiteSpace(mapping.MemoColumn) ? null : mapping.MemoColumn.Trim(), mapping.DateFormat);
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }

    public async Task<Result<BankUpload>> UploadAsync(string bankCode, string fileName, byte[] content, CancellationToken ct = default)
    {
        if (await FinanceAsync(ct) is { } refused) return refused;
        await using var db = await context.OpenAsync(ct);
        var mapping = await db.BankMappings.AsNoTracking().SingleOrDefaultAsync(m => m.Code == bankCode, ct);
        if (mapping is null) return Error.Of(ErrorCodes.BankMappingNotFound, bankCode).At("bank");
        var (lines, problems) = BankStatement.Read(Import.ImportFile.Decode(content), mapping.ToDomain());
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in lines.ToList())
        {
            if (first.TryGetValue(l.Reference, out var at)) { problems.Add((l.Line, Error.Of(ErrorCodes.ImportDuplicateInFile, at).At("reference"))); lines.Remove(l); }
            else first[l.Reference] = l.Line;
        }

        var references = lines.Select(l => l.Reference).ToList();
        var known = (await db.BankLines.AsNoTracking().Where(b => b.BankCode == bankCode && references.Contains(b.Reference)).Select(b => b.Reference).ToListAsync(ct)).ToHashSet();
        var posted = (await db.LoanTransactions.AsNoTracking().Where(t => references.Contains(t.ExternalReference) && t.ReversedAt == null)
            .Select(t => t.ExternalReference).ToListAsync(ct)).ToHashSet();
        var fresh = lines.Where(l => !known.Contains(l.Reference)).ToList();

        // the open loans of each payer's card, and the open loans a memo names
        var hashes = fresh.Where(l => l.PayerAccount.Length > 0).Select(l => l.PayerAccount).Distinct().ToDictionary(a => a, a => pii.LookupHash(a));
        var hashList = hashes.Values.ToList();
        var byCard = (await (from c in db.Customers.AsNoTracking()
                             where c.BankAccountHash != null && hashList.Contains(c.BankAccountHash)
                             join l in db.Loans.AsNoTracking() on c.Id equals l.CustomerId
                             where l.Status == LoanStatus.Active || l.Status == LoanStatus.Overdue
                             select new { c.BankAccountHash, l.Id }).ToListAsync(ct))
            .GroupBy(x => Convert.ToHexString(x.BankAccountHash!)).ToDictionary(g => g.Key, g => g.Select(x => x.Id).ToList());
        var words = fresh.SelectMany(l => BankStatement.NumberCandidates(l.Memo)).Distinct().ToList();
        var byNumber = await db.Loans.AsNoTracking().Where(l => words.Contains(l.Number) && (l.Status == LoanStatus.Active || l.Status == LoanStatus.Overdue))
            .ToDictionaryAsync(l => l.Number, l => l.Id, ct);
        var actor = context.AuditActor;
        var now = context.Now;
        foreach (var l in fresh)
        {
            var ofCard = hashes.TryGetValue(l.PayerAccount, out var h) && byCard.TryGetValue(Convert.ToHexString(h), out var ids) ? ids : [];
            var inMemo = BankStatement.NumberCandidates(l.Memo).Where(byNumber.ContainsKey).Select(n => byNumber[n]).ToList();
            var (status, candidates) = BankStatement.Match(ofCard, inMemo, posted.Contains(l.Reference));
            db.BankLines.Add(new BankLineRecord
            {
                Id = Guid.CreateVersion7(), BankCode = bankCode, FileName = Path.GetFileName(fileName), FileSha256 = sha, LineNumber = l.Line,
                ValueDate = l.ValueDate, Amount = l.Amount, PayerAccountMasked = l.PayerAccount.Length == 0 ? "" : BankCardNumber.Mask(l.PayerAccount),
                Reference = l.Reference, Memo = l.Memo.Length > 500 ? l.Memo[..500] : l.Memo, Status = status,
                LoanId = status == BankLineStatus.Matched ? candidates[0] : null, Candidates = [.. candidates], UploadedBy = actor, UploadedAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
        var rows = await RowsAsync(db, b => b.BankCode == bankCode && references.Contains(b.Reference), ct);
        return new BankUpload(Path.GetFileName(fileName), sha, lines.Count + problems.Count, fresh.Count, lines.Count - fresh.Count, problems, rows);
    }

    /// <summary>The lines given, as they stand now.</summary>
    public async Task<IReadOnlyList<BankLineRow>> RowsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        return await RowsAsync(db, b => ids.Contains(b.Id), ct);
    }

    /// <summary>The lines waiting for a person, oldest first.</summary>
    public async Task<IReadOnlyList<BankLineRow>> SuspenseAsync(CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        return await RowsAsync(db, b => b.Status == BankLineStatus.Unmatched || b.Status == BankLineStatus.Ambiguous
                                        || b.Status == BankLineStatus.Matched && b.Refusal != null, ct);
    }

    /// <summary>Posts the matched lines given (each through the loan's own posting); a refused one goes to the suspense list with its reason.</summary>
    public async Task<Result<BankPosting>> PostMatchedAsync(IReadOnlyCollection<Guid> lineIds, CancellationToken ct = default)
    {
        if (await FinanceAsync(ct) is { } refused) return refused;
        int posted = 0, refusedCount = 0, duplicates = 0;
        foreach (var id in lineIds)
        {
            await using var db = await context.OpenAsync(ct);
            var line = await db.BankLines.SingleOrDefaultAsync(b => b.Id == id && b.Status == BankLineStatus.Matched && b.LoanId != null, ct);
            if (line is null) continue;
            var outcome = await PostAsync(db, line, line.LoanId!.Value, ct);
            if (outcome == BankLineStatus.Posted) posted++;
            else if (outcome == BankLineStatus.Duplicate) duplicates++;
            else refusedCount++;
        }

        return new BankPosting(posted, refusedCount, duplicates);
    }

    /// <summary>Assigns a line of the suspense list to a loan by its number, and posts it there.</summary>
    public async Task<Result> AssignAsync(Guid lineId, string? loanNumber, uint version, CancellationToken ct = default)
    {
        if (await FinanceAsync(ct) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(loanNumber)) return Error.Of(ErrorCodes.Required, "loanNumber").At("loanNumber");
        await using var db = await context.OpenAsync(ct);
        var line = await db.BankLines.SingleOrDefaultAsync(b => b.Id == lineId, ct);
        if (line is null) return Error.Of(ErrorCodes.BankLineNotFound);
        if (line.Version != version) return Error.Of(ErrorCodes.BankLineChanged);
        if (line.Status is BankLineStatus.Posted or BankLineStatus.Duplicate) return Error.Of(ErrorCodes.BankLineNotOpen, line.Status);
        var loan = await db.Loans.AsNoTracking().Where(l => l.Number == loanNumber.Trim()).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(ct);
        if (loan is null) return Error.Of(ErrorCodes.LoanNotFound).At("loanNumber");
        var outcome = await PostAsync(db, line, loan.Value, ct);
        return outcome == BankLineStatus.Posted ? Result.Success() : Error.Of(line.Refusal ?? ErrorCodes.BankLineNotOpen, line.Status).At("loanNumber");
    }

    private async Task<BankLineStatus> PostAsync(LoanOfficeDbContext db, BankLineRecord line, Guid loanId, CancellationToken ct)
    {
        var version = await db.Loans.AsNoTracking().Where(l => l.Id == loanId).Select(l => l.Version).SingleAsync(ct);
        var result = await servicing.PostRepaymentAsync(loanId, line.ValueDate, line.Amount, "BankTransfer", line.Reference, version);
        if (result.IsSuccess)
        {
            (line.Status, line.LoanId, line.TransactionId, line.Refusal) = (BankLineStatus.Posted, loanId, result.Value!.TransactionId, null);
        }
        else if (result.Error!.Code == ErrorCodes.ReferenceTaken)
        {
            // posted already (an earlier attempt, or the same payment entered by hand): never a second time
            var tx = await db.LoanTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.ExternalReference == line.Reference, ct);
            (line.Status, line.TransactionId, line.Refusal) = tx is not null && tx.LoanId == loanId && tx.Amount == line.Amount && tx.ReversedAt == null
                ? (BankLineStatus.Posted, tx.Id, (string?)null)
                : (BankLineStatus.Duplicate, tx?.Id, (string?)null);
        }
        else line.Refusal = result.Error.Code;

        (line.ResolvedBy, line.ResolvedAt) = (context.AuditActor, context.Now);
        await db.SaveChangesAsync(ct);
        return line.Refusal is null ? line.Status : BankLineStatus.Matched;
    }

    private async Task<Error?> FinanceAsync(CancellationToken ct)
    {
        var actor = await context.ActorAsync(ct);
        if (actor is null) return ActorContext.NotSignedIn;
        return actor.Roles.Contains(Roles.Finance) ? null : FinanceOnly;
    }

    private static async Task<IReadOnlyList<BankLineRow>> RowsAsync(LoanOfficeDbContext db, System.Linq.Expressions.Expression<Func<BankLineRecord, bool>> filter, CancellationToken ct)
    {
        var lines = await db.BankLines.AsNoTracking().Where(filter).OrderBy(b => b.UploadedAt).ThenBy(b => b.LineNumber).Take(2_000).ToListAsync(ct);
        var loanIds = lines.SelectMany(l => l.Candidates.Append(l.LoanId ?? Guid.Empty)).Distinct().ToList();
        var loans = await (from l in db.Loans.AsNoTracking() where loanIds.Contains(l.Id) join c in db.Customers.AsNoTracking() on l.CustomerId equals c.Id
                           select new { l.Id, l.Number, c.Name }).ToDictionaryAsync(x => x.Id, ct);
        return lines.Select(b => new BankLineRow(b.Id, b.BankCode, b.FileName, b.LineNumber, b.ValueDate, b.Amount, b.PayerAccountMasked, b.Reference, b.Memo,
            b.Status, b.LoanId is { } id && loans.TryGetValue(id, out var loan) ? loan.Number : null, b.LoanId is { } cid && loans.TryGetValue(cid, out var owner) ? owner.Name : null,
            b.Candidates.Where(loans.ContainsKey).Select(c => loans[c].Number).ToList(), b.Refusal, b.ResolvedBy, b.Version)).ToList();
    }
}
