using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Import;
using LoanOffice.Data.Security;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Import;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Validation;
using LoanOffice.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using DomainLoan = LoanOffice.Domain.Loans.Loan;

namespace LoanOffice.Web.Features.Import;

/// <param name="DryRun">Check and count only; nothing is written.</param>
/// <param name="CleanRowsOnly">Import the good rows even when some are bad (otherwise a file with a bad row imports nothing).</param>
public sealed record ImportOptions(bool DryRun = false, bool CleanRowsOnly = false);

/// <summary>Who imports: recorded on the files, payments and audit rows.</summary>
public sealed record ImportActor(Guid UserId, string Name, string AuditActor)
{
    public static ImportActor System(string who) => new(Guid.Empty, "system:import", "system:import" + (who.Length > 0 ? ":" + who : ""));
}

public sealed record ImportProgress(string Stage, int Done, int Total);

/// <param name="Imported">Rows written (or, in a dry run, that would be).</param>
/// <param name="Unchanged">Rows already in the book exactly so (a re-import): skipped.</param>
/// <param name="Applied">Whether anything was written.</param>
public sealed record ImportOutcome(ImportKind Kind, string FileName, string Sha256, int Rows, int Imported, int Unchanged,
    IReadOnlyList<ImportProblem> Problems, bool Applied, bool DryRun, TimeSpan Elapsed)
{
    /// <summary>A loans import with its payment history: the payments file's figures (its problems are in <see cref="Problems"/>, marked with its name).</summary>
    public ImportOutcome? Payments { get; init; }
}

/// <summary>A file to import: its name and content.</summary>
public sealed record ImportUpload(string FileName, byte[] Content);

/// <summary>
/// 迁移导入: customers, loans and payment history from the old system. The whole file is checked first (every bad cell
/// reported with its row and column); nothing is written unless it is clean — or, as the user chooses, only its clean
/// rows. A loan enters through the domain's aggregate: its schedule is built by the engine and its history replayed
/// day by day through the last closed date exactly as the nightly close accrues it (penalty, compound interest, DPD,
/// five-level class, collection case), so it is indistinguishable from a loan disbursed here, and the close carries it
/// on from there. Payments are replayed into their loans the same way. Loan numbers and payment references are unique:
/// importing the same file again changes nothing. Everything is written with COPY in one transaction, and every record
/// gets an audit row with the file's name and SHA-256.
/// </summary>
public sealed class ImportService(NpgsqlDataSource dataSource, IDbContextFactory<LoanOfficeDbContext> dbFactory, PersonalDataProtector pii,
    TimeProvider clock, ILogger<ImportService> log)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Only one import at a time (their checks read what the other would write).</summary>
    private const long LockKey = 0x4C4F494D504F5254; // "LOIMPORT"

    public Task<Result<ImportOutcome>> ImportAsync(ImportKind kind, string fileName, byte[] content, ImportOptions options, ImportActor actor,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(kind, new ImportUpload(fileName, content), null, options, actor, progress, ct);

    /// <summary>
    /// Loans with their payment history in one pass: each new loan is replayed once with its payments, so only its real
    /// arrears are written (the way to migrate a book; a payments file alone is for loans already in the book).
    /// </summary>
    public Task<Result<ImportOutcome>> ImportLoansAsync(ImportUpload loans, ImportUpload payments, ImportOptions options, ImportActor actor,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(ImportKind.Loans, loans, payments, options, actor, progress, ct);

    private async Task<Result<ImportOutcome>> RunAsync(ImportKind kind, ImportUpload file, ImportUpload? paymentsFile, ImportOptions options, ImportActor actor,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        progress?.Report(new ImportProgress("read", 0, 1));
        var read = ImportFile.Read(kind, file.FileName, file.Content);
        if (!read.IsSuccess) return read.Error!;
        var table = read.Value!;
        ImportTable? paymentsTable = null;
        if (paymentsFile is not null)
        {
            var payments = ImportFile.Read(ImportKind.Payments, paymentsFile.FileName, paymentsFile.Content);
            if (!payments.IsSuccess) return payments.Error!.At("payments");
            paymentsTable = payments.Value!;
        }

        var source = new ImportSource(table.FileName, table.Sha256, actor.AuditActor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("k", LockKey);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        var plan = kind switch
        {
            ImportKind.Customers => await PlanCustomersAsync(conn, table, ct),
            ImportKind.Loans => await PlanLoansAsync(conn, table, paymentsTable, actor, progress, ct),
            _ => await PlanPaymentsAsync(conn, table, progress, ct),
        };
        var problems = plan.Problems.OrderBy(p => p.File is null ? 0 : 1).ThenBy(p => p.Row)
            .ThenBy(p => ColumnOrder(p.File is null ? kind : ImportKind.Payments, p.Column)).ToList();
        var apply = !options.DryRun && plan.Count > 0 && (problems.Count == 0 || options.CleanRowsOnly);
        if (apply)
        {
            progress?.Report(new ImportProgress("write", 0, plan.Count));
            await plan.Write(conn, source, clock.GetUtcNow(), ct);
            await source.Audit.WriteAsync(conn, ct); // the chain lock from here to the commit only
            await tx.CommitAsync(ct);
            log.LogInformation("Imported {Count} {Kind} from {File} ({Sha}) by {Actor}; {Unchanged} unchanged, {Problems} bad rows",
                plan.Count, kind, table.FileName, table.Sha256, actor.AuditActor, plan.Unchanged, problems.Count);
        }
        else await tx.RollbackAsync(ct);

        progress?.Report(new ImportProgress("done", plan.Count, plan.Count));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new ImportOutcome(kind, table.FileName, table.Sha256, table.Rows.Count, apply || options.DryRun ? plan.Count : 0, plan.Unchanged, problems,
            apply, options.DryRun, elapsed)
        {
            Payments = paymentsTable is null || plan.Payments is not { } pp ? null
                : new ImportOutcome(ImportKind.Payments, paymentsTable.FileName, paymentsTable.Sha256, paymentsTable.Rows.Count,
                    apply || options.DryRun ? pp.Count : 0, pp.Unchanged, [], apply, options.DryRun, elapsed),
        };
    }

    private static int ColumnOrder(ImportKind kind, string column)
    {
        var columns = ImportLayout.ColumnsOf(kind);
        for (var i = 0; i < columns.Count; i++) if (columns[i].Key == column) return i;
        return -1;
    }

    /// <summary>What a checked file would write: its count, the rows already there, the bad ones, and the write itself.</summary>
    private sealed record Plan(int Count, int Unchanged, List<ImportProblem> Problems, Func<NpgsqlConnection, ImportSource, DateTimeOffset, CancellationToken, Task> Write)
    {
        /// <summary>A loans-with-payments plan: the payments' count and unchanged rows.</summary>
        public (int Count, int Unchanged)? Payments { get; init; }
    }

    private static ImportProblem Problem(int row, string column, string value, Error error) => new(row, column, value, error.At(column));

    /// <summary>Marks the later rows that repeat an earlier row's key.</summary>
    private static HashSet<int> Duplicates<T>(IEnumerable<T> rows, Func<T, string> key, Func<T, int> rowOf, string column, List<ImportProblem> problems)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new HashSet<int>();
        foreach (var r in rows)
        {
            var k = key(r);
            if (first.TryGetValue(k, out var at))
            {
                problems.Add(Problem(rowOf(r), column, k, Error.Of(ErrorCodes.ImportDuplicateInFile, at)));
                repeated.Add(rowOf(r));
            }
            else first[k] = rowOf(r);
        }

        return repeated;
    }

    private DateOnly Today => Fmt.ChinaDate(clock);

    // ---- customers -------------------------------------------------------------------------------------------------

    private async Task<Plan> PlanCustomersAsync(NpgsqlConnection conn, ImportTable table, CancellationToken ct)
    {
        var problems = new List<ImportProblem>();
        var rows = new List<CustomerImportRow>();
        foreach (var (row, cells) in table.Rows)
        {
            var (parsed, bad) = ImportLayout.Customer(row, cells, Today);
            problems.AddRange(bad);
            if (parsed is not null) rows.Add(parsed);
        }

        var repeated = Duplicates(rows, r => r.ResidentId, r => r.Row, "residentId", problems);
        rows.RemoveAll(r => repeated.Contains(r.Row));
        var routes = await ReadAsync(conn, """SELECT "District", "TeamId" FROM district_routes""", r => (r.GetString(0), r.GetGuid(1)), ct);
        var teamOf = routes.ToDictionary(r => r.Item1, r => r.Item2);
        var hashes = rows.ToDictionary(r => r.Row, r => pii.LookupHash(r.ResidentId));
        var existing = await ExistingHashesAsync(conn, hashes.Values, ct);
        var unchanged = 0;
        var write = new List<NewCustomer>();
        foreach (var r in rows)
        {
            if (existing.Contains(Convert.ToHexString(hashes[r.Row]))) { unchanged++; continue; }
            if (!teamOf.TryGetValue(r.District, out var team))
            {
                problems.Add(Problem(r.Row, "district", r.District, Error.Of(ErrorCodes.ImportDistrictNotServed, r.District)));
                continue;
            }

            write.Add(new NewCustomer(r.Row, Guid.CreateVersion7(), r.Name, pii.Encrypt(r.ResidentId), hashes[r.Row], ResidentId.Mask(r.ResidentId),
                pii.Encrypt(r.Mobile), pii.LookupHash(r.Mobile), MobileNumber.Mask(r.Mobile),
                r.BankCard is null ? null : pii.Encrypt(r.BankCard), r.BankCard is null ? null : pii.LookupHash(r.BankCard),
                r.BankCard is null ? null : BankCardNumber.Mask(r.BankCard), r.Address, r.District, team));
        }

        return new Plan(write.Count, unchanged, problems, (c, source, now, token) => ImportWriter.CustomersAsync(c, write, source, now, token));
    }

    private static async Task<HashSet<string>> ExistingHashesAsync(NpgsqlConnection conn, IEnumerable<byte[]> hashes, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in hashes.Chunk(10_000))
        {
            await using var cmd = new NpgsqlCommand("""SELECT "ResidentIdHash" FROM customers WHERE "ResidentIdHash" = ANY(@h)""", conn);
            cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = chunk });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) found.Add(Convert.ToHexString((byte[])reader[0]));
        }

        return found;
    }

    // ---- loans -----------------------------------------------------------------------------------------------------

    private sealed record CustomerRef(Guid Id, string Name, string District, string? BankAccountMasked);

    private async Task<Plan> PlanLoansAsync(NpgsqlConnection conn, ImportTable table, ImportTable? paymentsTable, ImportActor actor,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var problems = new List<ImportProblem>();
        var rows = new List<LoanImportRow>();
        foreach (var (row, cells) in table.Rows)
        {
            var (parsed, bad) = ImportLayout.Loan(row, cells, Today);
            problems.AddRange(bad);
            if (parsed is not null) rows.Add(parsed);
        }

        var repeated = Duplicates(rows, r => r.Number, r => r.Row, "loanNumber", problems);
        rows.RemoveAll(r => repeated.Contains(r.Row));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.Id, ct);
        var users = (await db.Users.AsNoTracking().Select(u => new { u.UserName, u.Id, u.TeamId }).ToListAsync(ct))
            .Where(u => u.UserName is not null).ToDictionary(u => u.UserName!, u => (u.Id, u.TeamId), StringComparer.OrdinalIgnoreCase);
        var products = await db.Products.AsNoTracking().Where(p => p.Active).ToDictionaryAsync(p => p.Code, ct);

        var hashOf = rows.Select(r => r.ResidentId).Distinct().ToDictionary(id => id, id => pii.LookupHash(id));
        var customers = new Dictionary<string, CustomerRef>(StringComparer.Ordinal);
        foreach (var chunk in hashOf.Values.Chunk(10_000))
        {
            await using var cmd = new NpgsqlCommand("""SELECT "ResidentIdHash", "Id", "Name", "District", "BankAccountMasked" FROM customers WHERE "ResidentIdHash" = ANY(@h)""", conn);
            cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = chunk });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                customers[Convert.ToHexString((byte[])reader[0])] = new CustomerRef(reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        var existing = new Dictionary<string, LoanTerms>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Number).Chunk(10_000))
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT "Number", "Method", "Principal", "AnnualRate", "Months", "DisbursedOn", "PenaltyMarkup", "GraceDays" FROM loans WHERE "Number" = ANY(@n)
                """, conn);
            cmd.Parameters.AddWithValue("n", chunk);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                existing[reader.GetString(0)] = new LoanTerms(Enum.Parse<RepaymentMethod>(reader.GetString(1)), reader.GetDecimal(2), reader.GetDecimal(3),
                    reader.GetInt32(4), DateOnly.FromDateTime(reader.GetDateTime(5)), reader.GetDecimal(6), reader.GetInt32(7));
        }

        var candidates = new List<(LoanImportRow Row, CustomerRef Customer, Guid Team, Guid? Officer, Data.Origination.ProductRecord Product, LoanTerms Terms)>();
        var unchanged = 0;
        foreach (var r in rows)
        {
            var before = problems.Count;
            if (!customers.TryGetValue(Convert.ToHexString(hashOf[r.ResidentId]), out var customer))
                problems.Add(Problem(r.Row, "residentId", ResidentId.Mask(r.ResidentId), Error.Of(ErrorCodes.ImportCustomerNotFound, ResidentId.Mask(r.ResidentId))));
            if (!teams.TryGetValue(r.TeamCode, out var team))
                problems.Add(Problem(r.Row, "teamCode", r.TeamCode, Error.Of(ErrorCodes.ImportTeamNotFound, r.TeamCode)));
            Guid? officer = null;
            if (r.Officer is not null)
            {
                if (!users.TryGetValue(r.Officer, out var user))
                    problems.Add(Problem(r.Row, "officer", r.Officer, Error.Of(ErrorCodes.ImportOfficerNotFound, r.Officer)));
                else if (problems.Count == before && user.TeamId != team)
                    problems.Add(Problem(r.Row, "officer", r.Officer, Error.Of(ErrorCodes.ImportOfficerNotInTeam, r.Officer, r.TeamCode)));
                else officer = user.Id;
            }

            if (!products.TryGetValue(r.ProductCode, out var product))
                problems.Add(Problem(r.Row, "productCode", r.ProductCode, Error.Of(ErrorCodes.ImportProductNotFound, r.ProductCode)));
            else if (product.ToDomain().CheckRequest(r.Principal, r.Months, r.AnnualRate, r.Method) is { IsSuccess: false } refused)
            {
                var column = refused.Error!.Field switch { "amount" => "principal", "months" => "months", "method" => "method", _ => "annualRate" };
                var value = column switch { "principal" => r.Principal.ToString(System.Globalization.CultureInfo.InvariantCulture), "months" => r.Months.ToString(System.Globalization.CultureInfo.InvariantCulture), "method" => r.Method.ToString(), _ => r.AnnualRate.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                problems.Add(Problem(r.Row, column, value, refused.Error));
            }

            if (problems.Count > before) continue;
            var terms = new LoanTerms(r.Method, r.Principal, r.AnnualRate, r.Months, r.DisbursedOn, r.PenaltyMarkup ?? product!.PenaltyMarkup, r.GraceDays ?? product!.GraceDays);
            if (existing.TryGetValue(r.Number, out var there))
            {
                if (there == terms) unchanged++;
                else problems.Add(Problem(r.Row, "loanNumber", r.Number, Error.Of(ErrorCodes.ImportLoanDiffers, r.Number)));
                continue;
            }

            candidates.Add((r, customer!, team, officer, product!, terms));
        }

        // a payments file with it: each payment goes with its new loan (a loan of the book or of a refused row takes none)
        var paymentsOf = new Dictionary<string, List<PaymentImportRow>>(StringComparer.Ordinal);
        var paymentsUnchanged = 0;
        if (paymentsTable is not null)
        {
            var (fresh, same, bad) = await ReadPaymentsAsync(conn, paymentsTable, paymentsTable.FileName, ct);
            paymentsUnchanged = same;
            problems.AddRange(bad);
            var newLoans = candidates.Select(c => c.Row.Number).ToHashSet(StringComparer.Ordinal);
            var rowOf = table.Rows.Select(r => (r.Row, Number: r.Cells.GetValueOrDefault("loanNumber")?.Trim())).Where(r => r.Number is not null)
                .GroupBy(r => r.Number!).ToDictionary(g => g.Key, g => g.First().Row, StringComparer.Ordinal);
            foreach (var r in fresh)
            {
                if (newLoans.Contains(r.LoanNumber)) (paymentsOf.TryGetValue(r.LoanNumber, out var list) ? list : paymentsOf[r.LoanNumber] = []).Add(r);
                else if (rowOf.TryGetValue(r.LoanNumber, out var loanRow) && !existing.ContainsKey(r.LoanNumber))
                    problems.Add(Problem(r.Row, "loanNumber", r.LoanNumber, Error.Of(ErrorCodes.ImportPaymentLoanRefused, loanRow)) with { File = paymentsTable.FileName });
                else problems.Add(Problem(r.Row, "loanNumber", r.LoanNumber, Error.Of(ErrorCodes.ImportPaymentLoanNotInFile, r.LoanNumber)) with { File = paymentsTable.FileName });
            }
        }

        // the domain builds each schedule and replays the loan with its payments to its last closed date: on every core
        var yesterday = Fmt.LastEndedBusinessDate(clock);
        var built = new ConcurrentBag<NewLoan>();
        var builtPayments = new ConcurrentBag<NewPayment>();
        var refusedRows = new ConcurrentBag<ImportProblem>();
        var done = 0;
        Parallel.ForEach(candidates, new ParallelOptions { CancellationToken = ct }, c =>
        {
            var disbursed = DomainLoan.Disburse(c.Terms);
            if (!disbursed.IsSuccess)
            {
                var e = disbursed.Error!;
                var column = e.Field switch { "penaltyMarkup" => "penaltyMarkup", "graceDays" => "graceDays", "months" => "months", "principal" => "principal", _ => "annualRate" };
                refusedRows.Add(Problem(c.Row.Row, column, "", e));
                return;
            }

            var closedThrough = c.Terms.DisbursedOn > yesterday ? c.Terms.DisbursedOn : yesterday;
            var loanId = Guid.CreateVersion7();
            var mine = new List<PaymentImportRow>();
            foreach (var r in paymentsOf.GetValueOrDefault(c.Row.Number) ?? [])
            {
                if (DateProblem(r, c.Terms.DisbursedOn, closedThrough) is { } bad) refusedRows.Add(bad with { File = paymentsTable!.FileName });
                else mine.Add(r);
            }

            var (figures, accepted, refusedPayments) = Replay(c.Terms, disbursed.Value!.Start, null, [], loanId, mine, closedThrough, ReminderLeadOf(c.Product));
            foreach (var p in refusedPayments) refusedRows.Add(p with { File = paymentsTable?.FileName });
            if (figures is null)
            {
                // the loan itself does not replay (no payment to blame): its own refusal
                refusedRows.Add(Problem(c.Row.Row, "loanNumber", c.Row.Number, Figures(disbursed.Value!, closedThrough, ReminderLeadOf(c.Product)).Error ?? Error.Of(ErrorCodes.Validation)));
                return;
            }
            foreach (var p in accepted) builtPayments.Add(p);
            var snapshot = c.Product.ToDomain().Snapshot(c.Terms.AnnualRate, c.Terms.Method) with { PenaltyMarkup = c.Terms.PenaltyMarkup, GraceDays = c.Terms.GraceDays };
            var disbursedAt = new DateTimeOffset(c.Terms.DisbursedOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime();
            var application = LoanApplication.Migrated("IMP-" + c.Row.Number, c.Customer.Id, c.Customer.Name, c.Customer.District, c.Team, c.Officer,
                c.Product.Id, c.Product.Code, c.Terms.Principal, c.Terms.Months, c.Terms.AnnualRate, c.Terms.Method, disbursedAt,
                new Actor(actor.UserId, actor.AuditActor, new HashSet<string>(), null), $"{table.FileName} · {c.Row.Row}");
            built.Add(new NewLoan(c.Row.Row, application, Guid.CreateVersion7(), "HT-IMP-" + c.Row.Number, loanId, c.Row.Number,
                c.Customer.Id, c.Team, c.Officer, c.Terms, ReminderLeadOf(c.Product), JsonSerializer.Serialize(snapshot), actor.UserId,
                c.Customer.BankAccountMasked ?? "—", figures));
            if (Interlocked.Increment(ref done) % 5_000 == 0) progress?.Report(new ImportProgress("check", done, candidates.Count));
        });
        problems.AddRange(refusedRows);
        var write = built.OrderBy(l => l.Row).ToList();
        var payments = builtPayments.ToList();
        var paymentsByLoan = payments.ToLookup(p => p.LoanId);
        var paymentSource = paymentsTable is null ? null : new ImportSource(paymentsTable.FileName, paymentsTable.Sha256, actor.AuditActor);
        return new Plan(write.Count, unchanged, problems, async (c, source, at, token) =>
        {
            foreach (var (chunk, i) in write.Chunk(20_000).Select((x, i) => (x, i)))
            {
                await ImportWriter.LoansAsync(c, chunk, source, at, token);
                if (paymentSource is not null)
                    await ImportWriter.NewPaymentsAsync(c, chunk.SelectMany(l => paymentsByLoan[l.LoanId]).OrderBy(p => p.Row).ToList(),
                        chunk.SelectMany(l => l.Figures.Allocations).ToDictionary(a => a.Key, a => a.Value), paymentSource with { Audit = source.Audit }, Guid.Empty, source.Actor, at, token);
                progress?.Report(new ImportProgress("write", Math.Min(write.Count, (i + 1) * 20_000), write.Count));
            }
        }) { Payments = paymentsTable is null ? null : (payments.Count, paymentsUnchanged) };
    }

    private static int ReminderLeadOf(Data.Origination.ProductRecord product) => product.ReminderLeadDays;

    /// <summary>The loan replayed through its closed date: what is paid, accrued, overdue, its class and when the close next has work.</summary>
    private static Result<LoanFigures> Figures(DomainLoan loan, DateOnly closedThrough, int reminderLeadDays)
    {
        var latest = closedThrough.AddDays(1);
        var position = loan.PositionAt(latest, closedThrough);
        if (!position.IsSuccess) return position.Error!;
        var p = position.Value!;
        var state = p.State;
        var restsUntil = CloseWork.RestsUntil(state.Installments.Select(i => new InstallmentBalance(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid)),
            loan.Terms.GraceDays, reminderLeadDays, closedThrough);
        var allocations = p.Allocations.ToDictionary(a => a.Key, a => JsonSerializer.Serialize(
            a.Value.Lines.Select(l => new { component = l.Component.ToString(), installment = l.InstallmentNumber, amount = l.Amount }), Json));
        // the close opens the case on the first day past the grace of the oldest installment still unpaid
        DateOnly? caseOpened = LoanOffice.Domain.Loans.CollectionCase.ShouldBeOpen(p.DaysPastDue) ? closedThrough.AddDays(1 - p.DaysPastDue + loan.Terms.GraceDays) : null;
        return new LoanFigures(state.Installments, state.PenaltyPaid, state.CompoundPaid, closedThrough, restsUntil, p.DaysPastDue, p.DpdClass, p.Class,
            p.Status, p.SettledOn, p.Accruals, allocations, caseOpened);
    }

    // ---- payments --------------------------------------------------------------------------------------------------

    private sealed record BookLoan(Guid Id, LoanTerms Terms, DateOnly ClosedThrough, DateOnly RestsUntil, LoanClass? ManualClass, LoanClass Class,
        LoanStatus Status, int ReminderLeadDays, uint Version, bool ChangedHere)
    {
        public List<InstallmentState> Schedule { get; } = [];
        public List<PaymentEvent> Payments { get; } = [];
    }

    /// <summary>A payments file's rows read alone, repeats within it, and the references already posted (the same again: unchanged; other figures: refused).</summary>
    private async Task<(List<PaymentImportRow> Fresh, int Unchanged, List<ImportProblem> Problems)> ReadPaymentsAsync(NpgsqlConnection conn, ImportTable table,
        string? file, CancellationToken ct)
    {
        var problems = new List<ImportProblem>();
        var rows = new List<PaymentImportRow>();
        foreach (var (row, cells) in table.Rows)
        {
            var (parsed, bad) = ImportLayout.Payment(row, cells, Today);
            problems.AddRange(bad);
            if (parsed is not null) rows.Add(parsed);
        }

        var repeated = Duplicates(rows, r => r.Reference, r => r.Row, "reference", problems);
        rows.RemoveAll(r => repeated.Contains(r.Row));
        var posted = new Dictionary<string, (string Loan, DateOnly Date, decimal Amount)>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(r => r.Reference).Chunk(10_000))
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT t."ExternalReference", l."Number", t."ValueDate", t."Amount" FROM loan_transactions t JOIN loans l ON l."Id" = t."LoanId"
                 WHERE t."ExternalReference" = ANY(@r) AND t."ReversedAt" IS NULL
                """, conn);
            cmd.Parameters.AddWithValue("r", chunk);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                posted[reader.GetString(0)] = (reader.GetString(1), DateOnly.FromDateTime(reader.GetDateTime(2)), reader.GetDecimal(3));
        }

        var unchanged = 0;
        var fresh = new List<PaymentImportRow>();
        foreach (var r in rows)
        {
            if (!posted.TryGetValue(r.Reference, out var there)) { fresh.Add(r); continue; }
            if (there == (r.LoanNumber, r.ValueDate, r.Amount)) unchanged++;
            else problems.Add(Problem(r.Row, "reference", r.Reference, Error.Of(ErrorCodes.ImportPaymentDiffers, r.Reference)));
        }

        return (fresh, unchanged, file is null ? problems : problems.Select(p => p with { File = file }).ToList());
    }

    /// <summary>A new payment's value date against its loan: not before the disbursement, not after the loan's open business date.</summary>
    private ImportProblem? DateProblem(PaymentImportRow r, DateOnly disbursedOn, DateOnly closedThrough)
    {
        var latest = new[] { Today, closedThrough.AddDays(1) }.Min();
        if (r.ValueDate < disbursedOn) return Problem(r.Row, "valueDate", Fmt.Date(r.ValueDate), Error.Of(ErrorCodes.ValueDateBeforeStart, disbursedOn));
        if (r.ValueDate > latest) return Problem(r.Row, "valueDate", Fmt.Date(r.ValueDate), Error.Of(ErrorCodes.ValueDateAfterLatest, latest));
        return null;
    }

    /// <summary>
    /// A loan replayed with its earlier history and the new payments (in value-date order, the file's order within a
    /// day); a payment the replay refuses (an overpayment, a payment after settlement) is reported and left out.
    /// </summary>
    private static (LoanFigures? Figures, List<NewPayment> Accepted, List<ImportProblem> Refused) Replay(LoanTerms terms, LedgerState start,
        LoanClass? manualClass, IReadOnlyList<PaymentEvent> earlier, Guid loanId, IEnumerable<PaymentImportRow> rows, DateOnly closedThrough, int reminderLeadDays)
    {
        var news = rows.OrderBy(r => r.ValueDate).ThenBy(r => r.Row)
            .Select(r => (Row: r, Payment: new NewPayment(r.Row, Guid.CreateVersion7(), loanId, r.ValueDate, r.Amount, r.Reference))).ToList();
        var refused = new List<ImportProblem>();
        while (true)
        {
            var history = earlier.Concat(news.Select(n => new PaymentEvent(n.Payment.Id, n.Payment.ValueDate, n.Payment.Amount)))
                .OrderBy(e => e.Date).ToList(); // stable: the earlier payments first within a day
            var figures = Figures(DomainLoan.Resume(terms, start, manualClass, history), closedThrough, reminderLeadDays);
            if (figures.IsSuccess) return (figures.Value!, news.Select(n => n.Payment).ToList(), refused);
            var culprit = news.FindIndex(n => n.Payment.Id == figures.Error!.Subject);
            if (culprit < 0 && news.Count == 0) return (null, [], refused);
            var at = culprit >= 0 ? culprit : news.Count - 1;
            refused.Add(Problem(news[at].Row.Row, "amount", news[at].Row.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), figures.Error!));
            news.RemoveAt(at);
        }
    }

    private async Task<Plan> PlanPaymentsAsync(NpgsqlConnection conn, ImportTable table, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var (fresh, unchanged, problems) = await ReadPaymentsAsync(conn, table, null, ct);
        var loans = await LoadBookLoansAsync(conn, fresh.Select(r => r.LoanNumber).Distinct().ToList(), ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var book = await db.ClosedThroughAsync(ct);
            foreach (var l in loans.Values.ToList())
                loans[l.Key] = (l.Key, l.Loan with { ClosedThrough = book is { } b ? CloseWork.StateThrough(l.Loan.ClosedThrough, l.Loan.RestsUntil, b) : l.Loan.ClosedThrough });
        }

        var byLoan = new Dictionary<Guid, List<PaymentImportRow>>();
        foreach (var r in fresh)
        {
            if (!loans.TryGetValue(r.LoanNumber, out var entry))
            {
                problems.Add(Problem(r.Row, "loanNumber", r.LoanNumber, Error.Of(ErrorCodes.ImportLoanNotFound, r.LoanNumber)));
                continue;
            }

            var loan = entry.Loan;
            if (loan.ChangedHere) { problems.Add(Problem(r.Row, "loanNumber", r.LoanNumber, Error.Of(ErrorCodes.ImportLoanChangedHere, r.LoanNumber))); continue; }
            if (DateProblem(r, loan.Terms.DisbursedOn, loan.ClosedThrough) is { } bad) { problems.Add(bad); continue; }
            (byLoan.TryGetValue(loan.Id, out var list) ? list : byLoan[loan.Id] = []).Add(r);
        }

        var byId = loans.Values.ToDictionary(l => l.Loan.Id, l => l.Loan);
        var recomputed = new ConcurrentBag<(RecomputedLoan Loan, List<NewPayment> Payments)>();
        var refused = new ConcurrentBag<ImportProblem>();
        var done = 0;
        Parallel.ForEach(byLoan, new ParallelOptions { CancellationToken = ct }, pair =>
        {
            var loan = byId[pair.Key];
            var start = new LedgerState(loan.Terms.DisbursedOn, loan.Schedule, 0m, 0m, 0m, 0m);
            var (figures, accepted, bad) = Replay(loan.Terms, start, loan.ManualClass, loan.Payments, loan.Id, pair.Value, loan.ClosedThrough, loan.ReminderLeadDays);
            foreach (var p in bad) refused.Add(p);
            if (figures is not null && accepted.Count > 0)
                recomputed.Add((new RecomputedLoan(loan.Id, accepted.Min(n => n.ValueDate), loan.Class, figures), accepted));
            if (Interlocked.Increment(ref done) % 5_000 == 0) progress?.Report(new ImportProgress("check", done, byLoan.Count));
        });
        problems.AddRange(refused);
        var results = recomputed.ToList();
        var payments = results.SelectMany(r => r.Payments).OrderBy(p => p.Row).ToList();
        var versions = results.ToDictionary(r => r.Loan.LoanId, r => byId[r.Loan.LoanId].Version);
        return new Plan(payments.Count, unchanged, problems, async (c, source, at, token) =>
        {
            await LockUnchangedAsync(c, versions, token);
            var written = 0;
            foreach (var chunk in results.Chunk(10_000))
            {
                var chunkPayments = chunk.SelectMany(r => r.Payments).OrderBy(p => p.Row).ToList();
                await ImportWriter.PaymentsAsync(c, chunkPayments, chunk.Select(r => r.Loan).ToList(), source, Guid.Empty, source.Actor, at, token);
                written += chunkPayments.Count;
                progress?.Report(new ImportProgress("write", written, payments.Count));
            }
        });
    }

    /// <summary>Locks the loans the payments change and checks none changed since they were read (a posting meanwhile).</summary>
    private static async Task LockUnchangedAsync(NpgsqlConnection conn, Dictionary<Guid, uint> versions, CancellationToken ct)
    {
        foreach (var chunk in versions.Chunk(10_000))
        {
            await using var cmd = new NpgsqlCommand("""SELECT "Id", xmin::text::bigint FROM loans WHERE "Id" = ANY(@ids) FOR UPDATE""", conn);
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = chunk.Select(p => p.Key).ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if ((uint)reader.GetInt64(1) != versions[reader.GetGuid(0)]) throw new ImportConflictException();
        }
    }

    private static async Task<Dictionary<string, (string Key, BookLoan Loan)>> LoadBookLoansAsync(NpgsqlConnection conn, List<string> numbers, CancellationToken ct)
    {
        var loans = new Dictionary<string, (string, BookLoan)>(StringComparer.Ordinal);
        var byId = new Dictionary<Guid, BookLoan>();
        foreach (var chunk in numbers.Chunk(10_000))
        {
            await using (var cmd = new NpgsqlCommand("""
                SELECT l."Id", l."Number", l."Method", l."Principal", l."AnnualRate", l."Months", l."DisbursedOn", l."PenaltyMarkup", l."GraceDays",
                       l."ClosedThrough", l."RestsUntil", l."ManualClass", l."Class", l."Status", l."ReminderLeadDays", l.xmin::text::bigint,
                       EXISTS (SELECT 1 FROM loan_transactions t WHERE t."LoanId" = l."Id" AND t."Kind" = 'Prepayment' AND t."ReversedAt" IS NULL)
                       OR EXISTS (SELECT 1 FROM loan_schedule_versions v WHERE v."LoanId" = l."Id")
                  FROM loans l WHERE l."Number" = ANY(@n)
                """, conn))
            {
                cmd.Parameters.AddWithValue("n", chunk);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var loan = new BookLoan(r.GetGuid(0), new LoanTerms(Enum.Parse<RepaymentMethod>(r.GetString(2)), r.GetDecimal(3), r.GetDecimal(4), r.GetInt32(5),
                            DateOnly.FromDateTime(r.GetDateTime(6)), r.GetDecimal(7), r.GetInt32(8)), DateOnly.FromDateTime(r.GetDateTime(9)), DateOnly.FromDateTime(r.GetDateTime(10)),
                        r.IsDBNull(11) ? null : Enum.Parse<LoanClass>(r.GetString(11)), Enum.Parse<LoanClass>(r.GetString(12)), Enum.Parse<LoanStatus>(r.GetString(13)),
                        r.GetInt32(14), (uint)r.GetInt64(15), r.GetBoolean(16));
                    loans[r.GetString(1)] = (r.GetString(1), loan);
                    byId[loan.Id] = loan;
                }
            }
        }

        foreach (var chunk in byId.Keys.Chunk(10_000))
        {
            await using (var cmd = new NpgsqlCommand("""
                SELECT "LoanId", "Number", "DueDate", "Principal", "Interest" FROM loan_installments WHERE "LoanId" = ANY(@ids) ORDER BY "LoanId", "Number"
                """, conn))
            {
                cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = chunk });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    byId[r.GetGuid(0)].Schedule.Add(new InstallmentState(r.GetInt32(1), DateOnly.FromDateTime(r.GetDateTime(2)), r.GetDecimal(3), r.GetDecimal(4), 0m, 0m));
            }

            await using (var cmd = new NpgsqlCommand("""
                SELECT "LoanId", "Id", "ValueDate", "Amount" FROM loan_transactions
                 WHERE "LoanId" = ANY(@ids) AND "Kind" = 'Repayment' AND "ReversedAt" IS NULL ORDER BY "LoanId", "ValueDate", "PostedAt"
                """, conn))
            {
                cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = chunk });
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    byId[r.GetGuid(0)].Payments.Add(new PaymentEvent(r.GetGuid(1), DateOnly.FromDateTime(r.GetDateTime(2)), r.GetDecimal(3)));
            }
        }

        return loans;
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection conn, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(map(reader));
        return list;
    }
}

/// <summary>A loan of the file changed between the check and the write: the whole import is rolled back.</summary>
public sealed class ImportConflictException() : Exception("A loan changed during the import.");
