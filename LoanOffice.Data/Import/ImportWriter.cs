using System.Text.Json;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Loans;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Data.Import;

/// <summary>Where an imported record came from: the file's name and SHA-256 and the row, written into its audit row.</summary>
public sealed record ImportSource(string FileName, string Sha256, string Actor)
{
    /// <summary>The audit rows of the import's transaction, appended sealed right before it commits (shared by the files of one import).</summary>
    public Auditing.PresealedAudit Audit { get; init; } = new();
}

public sealed record NewCustomer(int Row, Guid Id, string Name, byte[] ResidentIdCipher, byte[] ResidentIdHash, string ResidentIdMasked,
    byte[] MobileCipher, byte[] MobileHash, string MobileMasked, byte[]? BankCardCipher, byte[]? BankCardHash, string? BankCardMasked, string? Address,
    string District, Guid TeamId);

/// <summary>A loan's figures after the domain replayed its history (<see cref="Loan.PositionAt"/>) through its last closed date.</summary>
public sealed record LoanFigures(IReadOnlyList<InstallmentState> Installments, decimal PenaltyPaid, decimal CompoundPaid, DateOnly ClosedThrough,
    DateOnly RestsUntil, int DaysPastDue, LoanClass DpdClass, LoanClass Class, LoanStatus Status, DateOnly? SettledOn,
    IReadOnlyList<LedgerAccrual> Accruals, IReadOnlyDictionary<Guid, string> Allocations, DateOnly? CaseOpenedOn);

public sealed record NewLoan(int Row, LoanApplication Application, Guid ContractId, string ContractNumber, Guid LoanId, string Number,
    Guid CustomerId, Guid TeamId, Guid? OfficerId, LoanTerms Terms, int ReminderLeadDays, string TermsSnapshot, Guid CreatedBy, string BankAccountMasked,
    LoanFigures Figures);

public sealed record NewPayment(int Row, Guid Id, Guid LoanId, DateOnly ValueDate, decimal Amount, string Reference);

/// <summary>A loan of the book recomputed after payments were added to its history (from <paramref name="ChangedFrom"/> on).</summary>
public sealed record RecomputedLoan(Guid LoanId, DateOnly ChangedFrom, LoanClass OldClass, LoanFigures Figures);

/// <summary>
/// Writes what the importer validated and the domain computed, with COPY, in the caller's transaction: customers;
/// loans with their file, contract, schedule, accruals and collection case; payments with the loans they change.
/// Every imported record gets an audit row naming the file, its SHA-256 and the row (appended sealed at commit: <see cref="ImportSource.Audit"/>).
/// </summary>
public static class ImportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task CustomersAsync(NpgsqlConnection conn, IReadOnlyList<NewCustomer> rows, ImportSource source, DateTimeOffset now, CancellationToken ct)
    {
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY customers ("Id", "Name", "ResidentIdCipher", "ResidentIdHash", "ResidentIdMasked", "MobileCipher", "MobileHash", "MobileMasked",
                            "BankAccountCipher", "BankAccountHash", "BankAccountMasked", "Address", "District", "TeamId", "CreatedAt") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var c in rows)
            {
                copy.StartRow();
                copy.Write(c.Id, NpgsqlDbType.Uuid);
                copy.Write(c.Name, NpgsqlDbType.Varchar);
                copy.Write(c.ResidentIdCipher, NpgsqlDbType.Bytea);
                copy.Write(c.ResidentIdHash, NpgsqlDbType.Bytea);
                copy.Write(c.ResidentIdMasked, NpgsqlDbType.Text);
                copy.Write(c.MobileCipher, NpgsqlDbType.Bytea);
                copy.Write(c.MobileHash, NpgsqlDbType.Bytea);
                copy.Write(c.MobileMasked, NpgsqlDbType.Text);
                WriteNullable(copy, c.BankCardCipher, NpgsqlDbType.Bytea);
                WriteNullable(copy, c.BankCardHash, NpgsqlDbType.Bytea);
                WriteNullable(copy, c.BankCardMasked, NpgsqlDbType.Text);
                WriteNullable(copy, c.Address, NpgsqlDbType.Text);
                copy.Write(c.District, NpgsqlDbType.Text);
                copy.Write(c.TeamId, NpgsqlDbType.Uuid);
                copy.Write(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        Audit(source, now, "Customer", rows.Select(c => (c.Id.ToString(), c.Row, (object)new { c.Name, c.ResidentIdMasked, c.District })));
    }

    public static async Task LoansAsync(NpgsqlConnection conn, IReadOnlyList<NewLoan> rows, ImportSource source, DateTimeOffset now, CancellationToken ct)
    {
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY applications ("Id", "Number", "TeamId", "CustomerId", "ApplicantName", "District", "Channel", "ProductId", "ProductCode",
                               "RequestedAmount", "RequestedMonths", "ProposedRate", "Method", "Purpose", "State", "ReceivedAt", "StateSince",
                               "AssignedOfficerId", "ApprovedAmount", "ApprovedMonths", "ApprovedRate") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var a in rows.Select(r => r.Application))
            {
                copy.StartRow();
                copy.Write(a.Id, NpgsqlDbType.Uuid);
                copy.Write(a.Number, NpgsqlDbType.Varchar);
                copy.Write(a.TeamId, NpgsqlDbType.Uuid);
                copy.Write(a.CustomerId, NpgsqlDbType.Uuid);
                copy.Write(a.ApplicantName, NpgsqlDbType.Varchar);
                copy.Write(a.District, NpgsqlDbType.Varchar);
                copy.Write(a.Channel, NpgsqlDbType.Varchar);
                copy.Write(a.ProductId, NpgsqlDbType.Uuid);
                copy.Write(a.ProductCode, NpgsqlDbType.Varchar);
                copy.Write(a.RequestedAmount, NpgsqlDbType.Numeric);
                copy.Write(a.RequestedMonths, NpgsqlDbType.Integer);
                copy.Write(a.ProposedRate, NpgsqlDbType.Numeric);
                copy.Write(a.Method.ToString(), NpgsqlDbType.Varchar);
                copy.Write(a.Purpose, NpgsqlDbType.Varchar);
                copy.Write(a.State.ToString(), NpgsqlDbType.Varchar);
                copy.Write(a.ReceivedAt, NpgsqlDbType.TimestampTz);
                copy.Write(a.StateSince, NpgsqlDbType.TimestampTz);
                WriteNullable(copy, a.AssignedOfficerId, NpgsqlDbType.Uuid);
                WriteNullable(copy, a.ApprovedAmount, NpgsqlDbType.Numeric);
                WriteNullable(copy, a.ApprovedMonths, NpgsqlDbType.Integer);
                WriteNullable(copy, a.ApprovedRate, NpgsqlDbType.Numeric);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY application_transitions ("Id", "ApplicationId", "From", "To", "Name", "ActorId", "ActorName", "At", "Comment") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var t in rows.SelectMany(r => r.Application.Transitions))
            {
                copy.StartRow();
                copy.Write(t.Id, NpgsqlDbType.Uuid);
                copy.Write(t.ApplicationId, NpgsqlDbType.Uuid);
                copy.Write(t.From.ToString(), NpgsqlDbType.Varchar);
                copy.Write(t.To.ToString(), NpgsqlDbType.Varchar);
                copy.Write(t.Name, NpgsqlDbType.Varchar);
                WriteNullable(copy, t.ActorId, NpgsqlDbType.Uuid);
                copy.Write(t.ActorName, NpgsqlDbType.Varchar);
                copy.Write(t.At, NpgsqlDbType.TimestampTz);
                WriteNullable(copy, t.Comment, NpgsqlDbType.Varchar);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY contracts ("Id", "Number", "ApplicationId", "SignedOn", "Amount", "Months", "AnnualRate", "Method", "TermsSnapshot", "CreatedBy", "CreatedAt")
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var r in rows)
            {
                copy.StartRow();
                copy.Write(r.ContractId, NpgsqlDbType.Uuid);
                copy.Write(r.ContractNumber, NpgsqlDbType.Text);
                copy.Write(r.Application.Id, NpgsqlDbType.Uuid);
                copy.Write(r.Terms.DisbursedOn, NpgsqlDbType.Date);
                copy.Write(r.Terms.Principal, NpgsqlDbType.Numeric);
                copy.Write(r.Terms.Months, NpgsqlDbType.Integer);
                copy.Write(r.Terms.AnnualRate, NpgsqlDbType.Numeric);
                copy.Write(r.Terms.Method.ToString(), NpgsqlDbType.Varchar);
                copy.Write(r.TermsSnapshot, NpgsqlDbType.Jsonb);
                copy.Write(r.CreatedBy, NpgsqlDbType.Uuid);
                copy.Write(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY loans ("Id", "Number", "ApplicationId", "ContractId", "CustomerId", "TeamId", "OfficerId", "Principal", "AnnualRate", "Months", "Method",
                        "DisbursedOn", "BankAccountMasked", "BankReference", "Status", "TermsSnapshot", "CreatedAt", "Class", "ClosedThrough",
                        "CompoundPaid", "DaysPastDue", "DpdClass", "GraceDays", "PenaltyMarkup", "PenaltyPaid", "ReminderLeadDays", "SettledOn",
                        "PenaltyAnnualRate", "RestsUntil", "ProductCode", "PrincipalOutstanding", "OverdueAmount") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var r in rows)
            {
                var f = r.Figures;
                copy.StartRow();
                copy.Write(r.LoanId, NpgsqlDbType.Uuid);
                copy.Write(r.Number, NpgsqlDbType.Text);
                copy.Write(r.Application.Id, NpgsqlDbType.Uuid);
                copy.Write(r.ContractId, NpgsqlDbType.Uuid);
                copy.Write(r.CustomerId, NpgsqlDbType.Uuid);
                copy.Write(r.TeamId, NpgsqlDbType.Uuid);
                WriteNullable(copy, r.OfficerId, NpgsqlDbType.Uuid);
                copy.Write(r.Terms.Principal, NpgsqlDbType.Numeric);
                copy.Write(r.Terms.AnnualRate, NpgsqlDbType.Numeric);
                copy.Write(r.Terms.Months, NpgsqlDbType.Integer);
                copy.Write(r.Terms.Method.ToString(), NpgsqlDbType.Varchar);
                copy.Write(r.Terms.DisbursedOn, NpgsqlDbType.Date);
                copy.Write(r.BankAccountMasked, NpgsqlDbType.Text);
                // the disbursement happened in the old system: its reference is the loan's own number there
                copy.Write("IMPORT-" + r.Number, NpgsqlDbType.Text);
                copy.Write(f.Status.ToString(), NpgsqlDbType.Varchar);
                copy.Write(r.TermsSnapshot, NpgsqlDbType.Jsonb);
                copy.Write(now, NpgsqlDbType.TimestampTz);
                copy.Write(f.Class.ToString(), NpgsqlDbType.Varchar);
                copy.Write(f.ClosedThrough, NpgsqlDbType.Date);
                copy.Write(f.CompoundPaid, NpgsqlDbType.Numeric);
                copy.Write(f.DaysPastDue, NpgsqlDbType.Integer);
                copy.Write(f.DpdClass.ToString(), NpgsqlDbType.Varchar);
                copy.Write(r.Terms.GraceDays, NpgsqlDbType.Integer);
                copy.Write(r.Terms.PenaltyMarkup, NpgsqlDbType.Numeric);
                copy.Write(f.PenaltyPaid, NpgsqlDbType.Numeric);
                copy.Write(r.ReminderLeadDays, NpgsqlDbType.Integer);
                WriteNullable(copy, f.SettledOn, NpgsqlDbType.Date);
                copy.Write(r.Terms.PenaltyAnnualRate, NpgsqlDbType.Numeric);
                copy.Write(f.RestsUntil, NpgsqlDbType.Date);
                // the stored position by the domain's rule, as every EF save writes it (Loan.RefreshPosition)
                var balances = f.Installments.Select(i => i.Balance).ToList();
                copy.Write(r.Application.ProductCode, NpgsqlDbType.Varchar);
                copy.Write(balances.Sum(b => b.PrincipalOutstanding), NpgsqlDbType.Numeric);
                copy.Write(PaymentAllocator.OverdueAmount(balances, f.ClosedThrough, r.Terms.GraceDays), NpgsqlDbType.Numeric);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY loan_installments ("LoanId", "Number", "DueDate", "Principal", "Interest", "PrincipalPaid", "InterestPaid") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var r in rows)
                await InstallmentsAsync(copy, r.LoanId, r.Figures.Installments, ct);
            await copy.CompleteAsync(ct);
        }

        await AccrualsAsync(conn, rows.Select(r => (r.LoanId, r.Terms.DisbursedOn, r.Figures)), ct);
        await CasesAsync(conn, rows.Select(r => (r.LoanId, r.Figures)), ct);
        await ClassChangesAsync(conn, rows.Where(r => r.Figures.Class != LoanClass.Normal).Select(r => (r.LoanId, (LoanClass?)null, r.Figures)), "Import", source.Actor, now, ct);
        Audit(source, now, "Loan", rows.Select(r => (r.LoanId.ToString(), r.Row, (object)new
        {
            r.Number, r.Terms.Principal, r.Terms.AnnualRate, Method = r.Terms.Method.ToString(), r.Terms.Months, r.Terms.DisbursedOn,
            Status = r.Figures.Status.ToString(), r.Figures.DaysPastDue, Class = r.Figures.Class.ToString(),
        })));
    }

    /// <summary>The payments, then what they change on their loans: paid amounts, allocations, accruals, DPD, class, status, the case.</summary>
    public static async Task PaymentsAsync(NpgsqlConnection conn, IReadOnlyList<NewPayment> payments, IReadOnlyList<RecomputedLoan> loans,
        ImportSource source, Guid postedBy, string postedByName, DateTimeOffset now, CancellationToken ct)
    {
        var allocations = loans.SelectMany(l => l.Figures.Allocations).ToDictionary(p => p.Key, p => p.Value);
        await NewPaymentsAsync(conn, payments, allocations, source, postedBy, postedByName, now, ct);
        var newIds = payments.Select(p => p.Id).ToHashSet();
        await ExecAsync(conn, """
            CREATE TEMP TABLE IF NOT EXISTS imp_alloc (id uuid PRIMARY KEY, allocation jsonb) ON COMMIT DROP;
            CREATE TEMP TABLE IF NOT EXISTS imp_inst (loan_id uuid, number int, principal_paid numeric, interest_paid numeric) ON COMMIT DROP;
            CREATE TEMP TABLE IF NOT EXISTS imp_loan (id uuid PRIMARY KEY, changed_from date, penalty_paid numeric, compound_paid numeric, dpd int, dpd_class varchar,
                                        class varchar, status varchar, settled_on date, rests_until date, closed_through date) ON COMMIT DROP;
            TRUNCATE imp_alloc, imp_inst, imp_loan;
            """, ct);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY imp_alloc (id, allocation) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, json) in allocations.Where(a => !newIds.Contains(a.Key)))
            {
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Uuid);
                copy.Write(json, NpgsqlDbType.Jsonb);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("COPY imp_inst (loan_id, number, principal_paid, interest_paid) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var l in loans)
            foreach (var i in l.Figures.Installments)
            {
                copy.StartRow();
                copy.Write(l.LoanId, NpgsqlDbType.Uuid);
                copy.Write(i.Number, NpgsqlDbType.Integer);
                copy.Write(i.PrincipalPaid, NpgsqlDbType.Numeric);
                copy.Write(i.InterestPaid, NpgsqlDbType.Numeric);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY imp_loan (id, changed_from, penalty_paid, compound_paid, dpd, dpd_class, class, status, settled_on, rests_until, closed_through) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var l in loans)
            {
                var f = l.Figures;
                copy.StartRow();
                copy.Write(l.LoanId, NpgsqlDbType.Uuid);
                copy.Write(l.ChangedFrom, NpgsqlDbType.Date);
                copy.Write(f.PenaltyPaid, NpgsqlDbType.Numeric);
                copy.Write(f.CompoundPaid, NpgsqlDbType.Numeric);
                copy.Write(f.DaysPastDue, NpgsqlDbType.Integer);
                copy.Write(f.DpdClass.ToString(), NpgsqlDbType.Varchar);
                copy.Write(f.Class.ToString(), NpgsqlDbType.Varchar);
                copy.Write(f.Status.ToString(), NpgsqlDbType.Varchar);
                WriteNullable(copy, f.SettledOn, NpgsqlDbType.Date);
                copy.Write(f.RestsUntil, NpgsqlDbType.Date);
                copy.Write(f.ClosedThrough, NpgsqlDbType.Date);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand("""
            UPDATE loan_transactions t SET "Allocation" = a.allocation FROM imp_alloc a WHERE t."Id" = a.id;
            UPDATE loan_installments i SET "PrincipalPaid" = n.principal_paid, "InterestPaid" = n.interest_paid
              FROM imp_inst n WHERE i."LoanId" = n.loan_id AND i."Number" = n.number;
            UPDATE loans l SET "PenaltyPaid" = n.penalty_paid, "CompoundPaid" = n.compound_paid, "DaysPastDue" = n.dpd, "DpdClass" = n.dpd_class,
                               "Class" = n.class, "Status" = n.status, "SettledOn" = n.settled_on, "RestsUntil" = n.rests_until,
                               "ClosedThrough" = n.closed_through, "LastPostedAt" = @now
              FROM imp_loan n WHERE l."Id" = n.id;
            DELETE FROM loan_accruals a USING imp_loan n WHERE a."LoanId" = n.id AND a."BusinessDate" >= n.changed_from;
            -- a case nobody has worked on yet is derived again from the loan's days past due; a worked case closes when the loan is current
            DELETE FROM collection_cases c USING imp_loan n
             WHERE c."LoanId" = n.id AND c."Status" = 'Open' AND NOT EXISTS (SELECT 1 FROM collection_actions x WHERE x."CaseId" = c."Id");
            UPDATE collection_cases c SET "Status" = 'Closed', "ClosedOn" = l."ClosedThrough"
              FROM imp_loan n JOIN loans l ON l."Id" = n.id
             WHERE c."LoanId" = n.id AND c."Status" = 'Open' AND n.dpd = 0;
            -- the loans' stored positions (LoanPositions.sql), set-based for the chunk
            SELECT lo_refresh_positions(ARRAY(SELECT id FROM imp_loan));
            """, conn))
        {
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await AccrualsAsync(conn, loans.Select(l => (l.LoanId, l.ChangedFrom, l.Figures)), ct);
        await CasesAsync(conn, loans.Select(l => (l.LoanId, l.Figures)), ct);
        await ClassChangesAsync(conn, loans.Where(l => l.Figures.Class != l.OldClass).Select(l => (l.LoanId, (LoanClass?)l.OldClass, l.Figures)), "Recompute", source.Actor, now, ct);
    }

    /// <summary>Repayments with their allocations (by transaction id), each with its audit row.</summary>
    public static async Task NewPaymentsAsync(NpgsqlConnection conn, IReadOnlyList<NewPayment> payments, IReadOnlyDictionary<Guid, string> allocations,
        ImportSource source, Guid postedBy, string postedByName, DateTimeOffset now, CancellationToken ct)
    {
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY loan_transactions ("Id", "LoanId", "Kind", "ValueDate", "Amount", "Channel", "ExternalReference", "Allocation", "PostedBy", "PostedByName", "PostedAt")
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var p in payments)
            {
                copy.StartRow();
                copy.Write(p.Id, NpgsqlDbType.Uuid);
                copy.Write(p.LoanId, NpgsqlDbType.Uuid);
                copy.Write("Repayment", NpgsqlDbType.Varchar);
                copy.Write(p.ValueDate, NpgsqlDbType.Date);
                copy.Write(p.Amount, NpgsqlDbType.Numeric);
                copy.Write(ImportChannel, NpgsqlDbType.Varchar);
                copy.Write(p.Reference, NpgsqlDbType.Varchar);
                copy.Write(allocations.GetValueOrDefault(p.Id, "[]"), NpgsqlDbType.Jsonb);
                copy.Write(postedBy, NpgsqlDbType.Uuid);
                copy.Write(postedByName, NpgsqlDbType.Varchar);
                copy.Write(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync(ct);
        }

        Audit(source, now, "LoanTransaction", payments.Select(p => (p.Id.ToString(), p.Row, (object)new
        {
            p.LoanId, Kind = "Repayment", p.ValueDate, p.Amount, Channel = ImportChannel, ExternalReference = p.Reference,
        })));
    }

    /// <summary>The channel recorded on imported payments.</summary>
    public const string ImportChannel = "Import";

    private static async Task InstallmentsAsync(NpgsqlBinaryImporter copy, Guid loanId, IReadOnlyList<InstallmentState> installments, CancellationToken ct)
    {
        foreach (var i in installments)
        {
            copy.StartRow();
            copy.Write(loanId, NpgsqlDbType.Uuid);
            copy.Write(i.Number, NpgsqlDbType.Integer);
            copy.Write(i.DueDate, NpgsqlDbType.Date);
            copy.Write(i.Principal, NpgsqlDbType.Numeric);
            copy.Write(i.Interest, NpgsqlDbType.Numeric);
            copy.Write(i.PrincipalPaid, NpgsqlDbType.Numeric);
            copy.Write(i.InterestPaid, NpgsqlDbType.Numeric);
        }
    }

    /// <summary>The daily penalty and compound accruals from a date on, as the close would have written them.</summary>
    private static async Task AccrualsAsync(NpgsqlConnection conn, IEnumerable<(Guid LoanId, DateOnly From, LoanFigures Figures)> loans, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync("""COPY loan_accruals ("LoanId", "BusinessDate", "Kind", "Basis", "Amount") FROM STDIN (FORMAT BINARY)""", ct);
        foreach (var (loanId, from, f) in loans)
        foreach (var a in f.Accruals.Where(a => a.Date >= from))
        {
            if (a.PenaltyBasis > 0m) await RowAsync(loanId, a.Date, "Penalty", a.PenaltyBasis, a.Penalty);
            if (a.CompoundBasis > 0m) await RowAsync(loanId, a.Date, "Compound", a.CompoundBasis, a.Compound);
        }

        await copy.CompleteAsync(ct);

        async Task RowAsync(Guid loanId, DateOnly date, string kind, decimal basis, decimal amount)
        {
            copy.StartRow();
            copy.Write(loanId, NpgsqlDbType.Uuid);
            copy.Write(date, NpgsqlDbType.Date);
            copy.Write(kind, NpgsqlDbType.Varchar);
            copy.Write(basis, NpgsqlDbType.Numeric);
            copy.Write(amount, NpgsqlDbType.Numeric);
        }
    }

    /// <summary>An open collection case for each loan overdue now, opened on the first day of its current arrears (as the close opened it).</summary>
    private static async Task CasesAsync(NpgsqlConnection conn, IEnumerable<(Guid LoanId, LoanFigures Figures)> loans, CancellationToken ct)
    {
        var overdue = loans.Where(l => l.Figures.CaseOpenedOn is not null).ToList();
        if (overdue.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO collection_cases ("Id", "LoanId", "TeamId", "OfficerId", "OpenedOn", "Status")
            SELECT gen_random_uuid(), l."Id", l."TeamId", l."OfficerId", o.opened_on, 'Open'
              FROM unnest(@ids, @opened) AS o(id, opened_on) JOIN loans l ON l."Id" = o.id
            ON CONFLICT ("LoanId") WHERE "Status" = 'Open' DO NOTHING
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = overdue.Select(l => l.LoanId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("opened", NpgsqlDbType.Array | NpgsqlDbType.Date)
        {
            Value = overdue.Select(l => l.Figures.CaseOpenedOn!.Value).ToArray(),
        });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task ClassChangesAsync(NpgsqlConnection conn, IEnumerable<(Guid LoanId, LoanClass? From, LoanFigures Figures)> changes, string sourceName,
        string actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync("""
            COPY loan_class_changes ("LoanId", "BusinessDate", "DaysPastDue", "FromClass", "ToClass", "Source", "Actor", "At") FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var (loanId, from, f) in changes)
        {
            copy.StartRow();
            copy.Write(loanId, NpgsqlDbType.Uuid);
            copy.Write(f.ClosedThrough, NpgsqlDbType.Date);
            copy.Write(f.DaysPastDue, NpgsqlDbType.Integer);
            WriteNullable(copy, from?.ToString(), NpgsqlDbType.Varchar);
            copy.Write(f.Class.ToString(), NpgsqlDbType.Varchar);
            copy.Write(sourceName, NpgsqlDbType.Varchar);
            copy.Write(actor.Length > 100 ? actor[..100] : actor, NpgsqlDbType.Varchar);
            copy.Write(now, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// One audit row per imported record ("Created", with the file's name, SHA-256 and row), in row order: collected
    /// by the source's <see cref="ImportSource.Audit"/> and appended sealed when the import commits.
    /// </summary>
    private static void Audit(ImportSource source, DateTimeOffset now, string entityType, IEnumerable<(string Key, int Row, object Values)> records)
    {
        // {"field": {"after": value}, …, "Import": {"after": {file, sha256, row}}}, the same shape as the interceptor's rows
        source.Audit.Add(source.Actor, now, entityType, records.Select(r =>
        {
            using var values = JsonSerializer.SerializeToDocument(r.Values, Json);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
            {
                w.WriteStartObject();
                foreach (var p in values.RootElement.EnumerateObject())
                {
                    w.WriteStartObject(p.Name);
                    w.WritePropertyName("after");
                    p.Value.WriteTo(w);
                    w.WriteEndObject();
                }

                w.WriteStartObject("Import");
                w.WriteStartObject("after");
                w.WriteString("file", source.FileName);
                w.WriteString("sha256", source.Sha256);
                w.WriteNumber("row", r.Row);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }

            return (r.Key, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }));
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    // rows are written synchronously into the COPY's buffer (it flushes as it fills): a call per value, so no task per value
    private static void WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) copy.Write(v, type);
        else copy.WriteNull();
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        if (value is not null) copy.Write(value, type);
        else copy.WriteNull();
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, byte[]? value, NpgsqlDbType type)
    {
        if (value is not null) copy.Write(value, type);
        else copy.WriteNull();
    }
}
