using System.Text.Json;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Loans;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Data.Import;

/// <summary>Where an imported record came from: the file's name and SHA-256 and the row, written into its audit row.</summary>
public sealed record ImportSource(string FileName, string Sha256, string Actor);

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
/// Every imported record gets an audit row naming the file, its SHA-256 and the row (the chain is the trigger's).
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
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(c.Name, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(c.ResidentIdCipher, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(c.ResidentIdHash, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(c.ResidentIdMasked, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.MobileCipher, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(c.MobileHash, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(c.MobileMasked, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, c.BankCardCipher, NpgsqlDbType.Bytea, ct);
                await WriteNullableAsync(copy, c.BankCardHash, NpgsqlDbType.Bytea, ct);
                await WriteNullableAsync(copy, c.BankCardMasked, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, c.Address, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.District, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(c.TeamId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await AuditAsync(conn, source, now, "Customer", rows.Select(c => (c.Id.ToString(), c.Row, (object)new { c.Name, c.ResidentIdMasked, c.District })), ct);
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
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(a.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(a.Number, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.TeamId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(a.CustomerId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(a.ApplicantName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.District, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.Channel, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.ProductId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(a.ProductCode, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.RequestedAmount, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(a.RequestedMonths, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(a.ProposedRate, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(a.Method.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.Purpose, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.State.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(a.ReceivedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(a.StateSince, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(copy, a.AssignedOfficerId, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(copy, a.ApprovedAmount, NpgsqlDbType.Numeric, ct);
                await WriteNullableAsync(copy, a.ApprovedMonths, NpgsqlDbType.Integer, ct);
                await WriteNullableAsync(copy, a.ApprovedRate, NpgsqlDbType.Numeric, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY application_transitions ("Id", "ApplicationId", "From", "To", "Name", "ActorId", "ActorName", "At", "Comment") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var t in rows.SelectMany(r => r.Application.Transitions))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(t.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(t.ApplicationId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(t.From.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(t.To.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(t.Name, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, t.ActorId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(t.ActorName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(t.At, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(copy, t.Comment, NpgsqlDbType.Varchar, ct);
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
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.ContractId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.ContractNumber, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Application.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.Terms.DisbursedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(r.Terms.Principal, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(r.Terms.Months, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Terms.AnnualRate, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(r.Terms.Method.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.TermsSnapshot, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(r.CreatedBy, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY loans ("Id", "Number", "ApplicationId", "ContractId", "CustomerId", "TeamId", "OfficerId", "Principal", "AnnualRate", "Months", "Method",
                        "DisbursedOn", "BankAccountMasked", "BankReference", "Status", "TermsSnapshot", "CreatedAt", "Class", "ClosedThrough",
                        "CompoundPaid", "DaysPastDue", "DpdClass", "GraceDays", "PenaltyMarkup", "PenaltyPaid", "ReminderLeadDays", "SettledOn",
                        "PenaltyAnnualRate", "RestsUntil") FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var r in rows)
            {
                var f = r.Figures;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.LoanId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.Number, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Application.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.ContractId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.CustomerId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.TeamId, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(copy, r.OfficerId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.Terms.Principal, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(r.Terms.AnnualRate, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(r.Terms.Months, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Terms.Method.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.Terms.DisbursedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(r.BankAccountMasked, NpgsqlDbType.Text, ct);
                // the disbursement happened in the old system: its reference is the loan's own number there
                await copy.WriteAsync("IMPORT-" + r.Number, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(f.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.TermsSnapshot, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(f.Class.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.ClosedThrough, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(f.CompoundPaid, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(f.DaysPastDue, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(f.DpdClass.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.Terms.GraceDays, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Terms.PenaltyMarkup, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(f.PenaltyPaid, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(r.ReminderLeadDays, NpgsqlDbType.Integer, ct);
                await WriteNullableAsync(copy, f.SettledOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(r.Terms.PenaltyAnnualRate, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(f.RestsUntil, NpgsqlDbType.Date, ct);
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
        await AuditAsync(conn, source, now, "Loan", rows.Select(r => (r.LoanId.ToString(), r.Row, (object)new
        {
            r.Number, r.Terms.Principal, r.Terms.AnnualRate, Method = r.Terms.Method.ToString(), r.Terms.Months, r.Terms.DisbursedOn,
            Status = r.Figures.Status.ToString(), r.Figures.DaysPastDue, Class = r.Figures.Class.ToString(),
        })), ct);
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
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(json, NpgsqlDbType.Jsonb, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await conn.BeginBinaryImportAsync("COPY imp_inst (loan_id, number, principal_paid, interest_paid) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var l in loans)
            foreach (var i in l.Figures.Installments)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(l.LoanId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(i.Number, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(i.PrincipalPaid, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(i.InterestPaid, NpgsqlDbType.Numeric, ct);
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
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(l.LoanId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(l.ChangedFrom, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(f.PenaltyPaid, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(f.CompoundPaid, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(f.DaysPastDue, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(f.DpdClass.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.Class.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, f.SettledOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(f.RestsUntil, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(f.ClosedThrough, NpgsqlDbType.Date, ct);
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
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(p.LoanId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync("Repayment", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.ValueDate, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(p.Amount, NpgsqlDbType.Numeric, ct);
                await copy.WriteAsync(ImportChannel, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Reference, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(allocations.GetValueOrDefault(p.Id, "[]"), NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(postedBy, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(postedByName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await AuditAsync(conn, source, now, "LoanTransaction", payments.Select(p => (p.Id.ToString(), p.Row, (object)new
        {
            p.LoanId, Kind = "Repayment", p.ValueDate, p.Amount, Channel = ImportChannel, ExternalReference = p.Reference,
        })), ct);
    }

    /// <summary>The channel recorded on imported payments.</summary>
    public const string ImportChannel = "Import";

    private static async Task InstallmentsAsync(NpgsqlBinaryImporter copy, Guid loanId, IReadOnlyList<InstallmentState> installments, CancellationToken ct)
    {
        foreach (var i in installments)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(loanId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(i.Number, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(i.DueDate, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(i.Principal, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(i.Interest, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(i.PrincipalPaid, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(i.InterestPaid, NpgsqlDbType.Numeric, ct);
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
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(loanId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(date, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(kind, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(basis, NpgsqlDbType.Numeric, ct);
            await copy.WriteAsync(amount, NpgsqlDbType.Numeric, ct);
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
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(loanId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(f.ClosedThrough, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(f.DaysPastDue, NpgsqlDbType.Integer, ct);
            await WriteNullableAsync(copy, from?.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(f.Class.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(sourceName, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(actor.Length > 100 ? actor[..100] : actor, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>One audit row per imported record ("Created", with the file's name, SHA-256 and row), chained by the trigger in row order.</summary>
    private static async Task AuditAsync(NpgsqlConnection conn, ImportSource source, DateTimeOffset now, string entityType,
        IEnumerable<(string Key, int Row, object Values)> records, CancellationToken ct)
    {
        await ExecAsync(conn, "CREATE TEMP TABLE IF NOT EXISTS imp_audit (ord serial, entity_key text, changes text) ON COMMIT DROP; TRUNCATE imp_audit;", ct);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY imp_audit (entity_key, changes) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (key, row, values) in records)
            {
                var changes = JsonSerializer.SerializeToNode(values, Json)!.AsObject()
                    .ToDictionary(p => p.Key, p => (object?)new { after = p.Value?.DeepClone() });
                changes["Import"] = new { after = new { file = source.FileName, sha256 = source.Sha256, row } };
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(key, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(JsonSerializer.Serialize(changes, Json), NpgsqlDbType.Text, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using var cmd = new NpgsqlCommand("""
            INSERT INTO audit_log (occurred_at, actor, entity_type, entity_key, action, changes, seq, previous_hash, hash)
            SELECT @now, @actor, @type, entity_key, 'Created', changes, 0, '', '' FROM imp_audit ORDER BY ord
            """, conn);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("actor", source.Actor.Length > 200 ? source.Actor[..200] : source.Actor);
        cmd.Parameters.AddWithValue("type", entityType);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? copy.WriteAsync(value, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, byte[]? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? copy.WriteAsync(value, type, ct) : copy.WriteNullAsync(ct);
}
