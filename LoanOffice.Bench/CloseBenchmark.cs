using System.Diagnostics;
using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Data.Seeding;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Bench;

/// <summary>
/// The nightly close at scale: N active loans (10 % overdue) written with binary COPY, then for one business date
/// (a) the floor — the minimal hand-written statements (accruals of overdue loans, closed-through advanced, DPD and
/// class recomputed) run in a transaction and rolled back, after a warm-up run; (b) the real close
/// (<see cref="CloseOfBusiness.RunThroughAsync"/>, every step). Repeated per size for linearity; and a naive
/// per-loan EF Core loop (load, compute, SaveChanges) on 10,000 loans for contrast.
/// </summary>
public static class CloseBenchmark
{
    internal static readonly DateOnly BusinessDate = new(2026, 11, 20);

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (QueueBenchmark.Arg(args, "--sizes") ?? "100000,300000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var naive = QueueBenchmark.Arg(args, "--naive") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 10_000;
        var connection = QueueBenchmark.Arg(args, "--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Default")
                         ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_bench;Username=loanoffice;Password=loanoffice-dev";
        connection += ";Command Timeout=0"; // COPY of millions of rows and the floor's statements outlast the default 30 s
        var profile = args.Contains("--profile");
        var withoutCells = args.Contains("--without-cells");
        var withoutStates = args.Contains("--without-states");
        var batch = QueueBenchmark.Arg(args, "--batch") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : new CloseOptions().BatchSize;
        var results = new List<(int Loans, double Generate, double Floor, double Close, long FloorAccruals, long CloseAccruals)>();
        foreach (var size in sizes)
        {
            var generate = await PrepareAsync(connection, size);
            var (floor, floorAccruals) = await FloorAsync(connection);
            if (withoutCells)
            {
                // for comparison: the close without the cockpit's live cells kept by triggers (PortfolioLiveCells.sql)
                await using var off = new NpgsqlConnection(connection);
                await off.OpenAsync();
                await ExecAsync(off, "ALTER TABLE loans DISABLE TRIGGER trg_loans_live_cells_upd; ALTER TABLE loans DISABLE TRIGGER trg_loans_live_cells_ins");
            }

            if (withoutStates)
            {
                // for comparison: the close without the marks of the loans at risk (PortfolioLoanStates.sql)
                await using var off = new NpgsqlConnection(connection);
                await off.OpenAsync();
                await ExecAsync(off, "ALTER TABLE loans DISABLE TRIGGER trg_loans_states_upd; ALTER TABLE loans DISABLE TRIGGER trg_loans_states_ins");
            }

            var (close, closeAccruals) = await CloseAsync(connection, batch, profile);
            results.Add((size, generate, floor, close, floorAccruals, closeAccruals));
            Console.WriteLine($"{size,9:N0} loans: generated in {generate:0.0} s; floor {floor:0.00} s ({floorAccruals:N0} accruals); close {close:0.00} s ({closeAccruals:N0} accruals); close/floor {close / floor:0.00}");
        }

        double naiveSeconds = 0;
        if (naive > 0)
        {
            await PrepareAsync(connection, naive);
            await using var services = QueueBenchmark.Services(connection);
            naiveSeconds = await NaiveAsync(services, naive);
            Console.WriteLine($"naive per-loan EF Core loop on {naive:N0} loans: {naiveSeconds:0.00} s ({naive / naiveSeconds:0} loans/s)");
        }

        Console.WriteLine();
        Console.WriteLine("| loans | floor | close | close ÷ floor | close per 100k loans | accruals |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Loans:N0} | {r.Floor:0.00} s | {r.Close:0.00} s | {r.Close / r.Floor:0.00} | {r.Close / r.Loans * 100_000:0.00} s | {r.CloseAccruals:N0} |");
        if (naive > 0) Console.WriteLine($"| naive EF loop, {naive:N0} | | {naiveSeconds:0.00} s | | {naiveSeconds / naive * 100_000:0.0} s | |");
        return results.All(r => r.Close <= 2 * r.Floor && r.CloseAccruals == r.FloorAccruals) ? 0 : 1;
    }

    /// <summary>A fresh database with N active 12-month loans closed through the day before the business date.</summary>
    internal static async Task<double> PrepareAsync(string connection, int loans)
    {
        await QueueBenchmark.Recreate(connection);
        NpgsqlConnection.ClearAllPools(); // the dropped database's pooled connections are dead
        await using var services = QueueBenchmark.Services(connection);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>().Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
        }

        var sw = Stopwatch.StartNew();
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var db = await services.GetRequiredService<IDbContextFactory<LoanOfficeDbContext>>().CreateDbContextAsync();
        var teams = await db.Teams.Select(t => t.Id).ToListAsync();
        var officers = await db.Users.Where(u => u.UserName!.StartsWith("officer")).Select(u => new { u.Id, u.TeamId }).ToListAsync();
        var product = await db.Products.Where(p => p.Code == "CREDIT").Select(p => p.Id).SingleAsync();
        var rnd = new Random(7);
        var customers = await QueueBenchmark.CopyCustomersAsync(conn, teams, 5000, rnd);
        var contract = await OneContractAsync(conn, teams[0], customers[0], product, officers[0].Id);

        const decimal principal = 12_000m, rate = 0.18m, markup = 0.5m;
        var penaltyRate = OverdueAccrual.PenaltyAnnualRate(rate, markup);
        var schedules = new Dictionary<DateOnly, RepaymentSchedule>();
        var open = new List<(Guid Loan, Guid Team, Guid? Officer, DateOnly Since)>();
        await using var second = new NpgsqlConnection(connection); // the installments stream beside the loans'
        await second.OpenAsync();
        await using (var loanCopy = await conn.BeginBinaryImportAsync("""
            COPY loans ("Id", "Number", "ApplicationId", "ContractId", "CustomerId", "TeamId", "OfficerId", "Principal", "AnnualRate", "Months",
                        "Method", "DisbursedOn", "BankAccountMasked", "BankReference", "Status", "TermsSnapshot", "CreatedAt", "Class", "ClosedThrough",
                        "RestsUntil", "DaysPastDue", "DpdClass", "GraceDays", "PenaltyAnnualRate", "PenaltyMarkup", "ReminderLeadDays") FROM STDIN (FORMAT BINARY)
            """))
        await using (var installmentCopy = await second.BeginBinaryImportAsync("""
            COPY loan_installments ("LoanId", "Number", "DueDate", "Principal", "Interest", "PrincipalPaid", "InterestPaid") FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < loans; i++)
            {
                var id = Guid.CreateVersion7();
                var disbursed = BusinessDate.AddDays(-rnd.Next(40, 330));
                if (!schedules.TryGetValue(disbursed, out var schedule))
                    schedules[disbursed] = schedule = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, principal, rate, 12, disbursed).Value!;
                var due = schedule.Installments.Where(l => l.DueDate < BusinessDate).ToList();
                // 10 % overdue: the last one to three installments due are unpaid
                var unpaid = i % 10 == 0 && due.Count > 0 ? Math.Min(due.Count, 1 + rnd.Next(3)) : 0;
                var firstUnpaid = due.Count - unpaid;
                var dpd = unpaid == 0 ? 0 : Math.Max(0, BusinessDate.AddDays(-1).DayNumber - due[firstUnpaid].DueDate.DayNumber);
                var cls = Classification.FromDaysPastDue(dpd);
                var team = teams[rnd.Next(teams.Count)];
                var officer = officers.FirstOrDefault(o => o.TeamId == team)?.Id;
                if (dpd > 0) open.Add((id, team, officer, due[firstUnpaid].DueDate.AddDays(1)));

                await loanCopy.StartRowAsync();
                await loanCopy.WriteAsync(id, NpgsqlDbType.Uuid);
                await loanCopy.WriteAsync("JB" + i.ToString("D9", CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await loanCopy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await loanCopy.WriteAsync(contract, NpgsqlDbType.Uuid);
                await loanCopy.WriteAsync(customers[rnd.Next(customers.Length)], NpgsqlDbType.Uuid);
                await loanCopy.WriteAsync(team, NpgsqlDbType.Uuid);
                if (officer is { } o) await loanCopy.WriteAsync(o, NpgsqlDbType.Uuid); else await loanCopy.WriteNullAsync();
                await loanCopy.WriteAsync(principal, NpgsqlDbType.Numeric);
                await loanCopy.WriteAsync(rate, NpgsqlDbType.Numeric);
                await loanCopy.WriteAsync(12, NpgsqlDbType.Integer);
                await loanCopy.WriteAsync("EqualInstallment", NpgsqlDbType.Varchar);
                await loanCopy.WriteAsync(disbursed, NpgsqlDbType.Date);
                await loanCopy.WriteAsync("6222********0000", NpgsqlDbType.Text);
                await loanCopy.WriteAsync("BB" + i.ToString("D9", CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await loanCopy.WriteAsync("Active", NpgsqlDbType.Text);
                await loanCopy.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await loanCopy.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                await loanCopy.WriteAsync(cls.ToString(), NpgsqlDbType.Varchar);
                await loanCopy.WriteAsync(BusinessDate.AddDays(-1), NpgsqlDbType.Date);
                // as the last close left it: the loans with work tonight (overdue, a reminder or a first overdue day) rest until yesterday
                var balances = schedule.Installments.Select((l, k) => l.DueDate < BusinessDate && k < firstUnpaid
                    ? new InstallmentBalance(l.Number, l.DueDate, 0m, 0m) : new InstallmentBalance(l.Number, l.DueDate, l.Principal, l.Interest));
                await loanCopy.WriteAsync(CloseWork.RestsUntil(balances, 0, 3, BusinessDate.AddDays(-1)), NpgsqlDbType.Date);
                await loanCopy.WriteAsync(dpd, NpgsqlDbType.Integer);
                await loanCopy.WriteAsync(cls.ToString(), NpgsqlDbType.Varchar);
                await loanCopy.WriteAsync(0, NpgsqlDbType.Integer);
                await loanCopy.WriteAsync(penaltyRate, NpgsqlDbType.Numeric);
                await loanCopy.WriteAsync(markup, NpgsqlDbType.Numeric);
                await loanCopy.WriteAsync(3, NpgsqlDbType.Integer);

                for (var k = 0; k < schedule.Installments.Count; k++)
                {
                    var line = schedule.Installments[k];
                    var paid = line.DueDate < BusinessDate && k < firstUnpaid;
                    await installmentCopy.StartRowAsync();
                    await installmentCopy.WriteAsync(id, NpgsqlDbType.Uuid);
                    await installmentCopy.WriteAsync(line.Number, NpgsqlDbType.Integer);
                    await installmentCopy.WriteAsync(line.DueDate, NpgsqlDbType.Date);
                    await installmentCopy.WriteAsync(line.Principal, NpgsqlDbType.Numeric);
                    await installmentCopy.WriteAsync(line.Interest, NpgsqlDbType.Numeric);
                    await installmentCopy.WriteAsync(paid ? line.Principal : 0m, NpgsqlDbType.Numeric);
                    await installmentCopy.WriteAsync(paid ? line.Interest : 0m, NpgsqlDbType.Numeric);
                }
            }

            await loanCopy.CompleteAsync();
            await installmentCopy.CompleteAsync();
        }

        // the overdue loans' collection cases, as earlier closes opened them
        await using (var caseCopy = await conn.BeginBinaryImportAsync("""
            COPY collection_cases ("Id", "LoanId", "TeamId", "OfficerId", "OpenedOn", "Status") FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var c in open)
            {
                await caseCopy.StartRowAsync();
                await caseCopy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await caseCopy.WriteAsync(c.Loan, NpgsqlDbType.Uuid);
                await caseCopy.WriteAsync(c.Team, NpgsqlDbType.Uuid);
                if (c.Officer is { } o) await caseCopy.WriteAsync(o, NpgsqlDbType.Uuid); else await caseCopy.WriteNullAsync();
                await caseCopy.WriteAsync(c.Since, NpgsqlDbType.Date);
                await caseCopy.WriteAsync("Open", NpgsqlDbType.Varchar);
            }

            await caseCopy.CompleteAsync();
        }

        // the loans' stored positions, as the import keeps them (LoanPositions.sql)
        await ExecAsync(conn, "SELECT lo_refresh_positions(ARRAY(SELECT \"Id\" FROM loans))");
        await ExecAsync(conn, "VACUUM ANALYZE loans; VACUUM ANALYZE loan_installments; VACUUM ANALYZE collection_cases; VACUUM ANALYZE customers");
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<Guid> OneContractAsync(NpgsqlConnection conn, Guid team, Guid customer, Guid product, Guid officer)
    {
        var application = Guid.CreateVersion7();
        var contract = Guid.CreateVersion7();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO applications ("Id", "Number", "TeamId", "CustomerId", "ApplicantName", "District", "Channel", "ProductId", "ProductCode",
                "RequestedAmount", "RequestedMonths", "ProposedRate", "Method", "Purpose", "State", "ReceivedAt", "StateSince")
            VALUES (@a, 'BENCH-1', @t, @c, '基准客户', '杭州市西湖区', 'WEB', @p, 'CREDIT', 12000, 12, 0.18, 'EqualInstallment', '经营周转', 'Disbursed', now(), now());
            INSERT INTO contracts ("Id", "Number", "ApplicationId", "SignedOn", "Amount", "Months", "AnnualRate", "Method", "TermsSnapshot", "CreatedBy", "CreatedAt")
            VALUES (@k, 'HT-BENCH-1', @a, DATE '2025-11-01', 12000, 12, 0.18, 'EqualInstallment', '{}', @o, now());
            """, conn);
        cmd.Parameters.AddWithValue("a", application);
        cmd.Parameters.AddWithValue("k", contract);
        cmd.Parameters.AddWithValue("t", team);
        cmd.Parameters.AddWithValue("c", customer);
        cmd.Parameters.AddWithValue("p", product);
        cmd.Parameters.AddWithValue("o", officer);
        await cmd.ExecuteNonQueryAsync();
        return contract;
    }

    /// <summary>
    /// The floor: what the close must at least do, written directly — overdue balances per loan, one penalty and one
    /// compound accrual each, closed-through advanced and DPD/class recomputed for every loan. Run twice in a
    /// rolled-back transaction (the first warms the cache); the second is timed.
    /// </summary>
    private static async Task<(double Seconds, long Accruals)> FloorAsync(string connection)
    {
        double seconds = 0;
        long accruals = 0;
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        for (var run = 0; run < 2; run++)
        {
            await using var tx = await conn.BeginTransactionAsync();
            var sw = Stopwatch.StartNew();
            await using var cmd = new NpgsqlCommand("""
                CREATE TEMP TABLE floor_overdue ON COMMIT DROP AS
                SELECT l."Id", l."PenaltyAnnualRate" AS r,
                       sum(i."Principal" - i."PrincipalPaid") AS p, sum(i."Interest" - i."InterestPaid") AS it,
                       @d - min(i."DueDate") - l."GraceDays" AS dpd
                  FROM loans l JOIN loan_installments i ON i."LoanId" = l."Id"
                 WHERE l."Status" IN ('Active', 'Overdue') AND l."ClosedThrough" = @d - 1 AND i."DueDate" + l."GraceDays" < @d
                   AND (i."Principal" > i."PrincipalPaid" OR i."Interest" > i."InterestPaid")
                 GROUP BY l."Id";
                INSERT INTO loan_accruals ("LoanId", "BusinessDate", "Kind", "Basis", "Amount")
                SELECT "Id", @d, 'Penalty', p, lo_daily_accrual(p, r) FROM floor_overdue WHERE p > 0
                UNION ALL
                SELECT "Id", @d, 'Compound', it, lo_daily_accrual(it, r) FROM floor_overdue WHERE it > 0;
                UPDATE loans l SET "ClosedThrough" = @d, "DaysPastDue" = coalesce(f.dpd, 0),
                       "DpdClass" = lo_dpd_class(coalesce(f.dpd, 0)), "Class" = lo_dpd_class(coalesce(f.dpd, 0))
                  FROM loans x LEFT JOIN floor_overdue f ON f."Id" = x."Id"
                 WHERE l."Id" = x."Id" AND x."Status" IN ('Active', 'Overdue') AND x."ClosedThrough" = @d - 1;
                """, conn, tx);
            cmd.Parameters.AddWithValue("d", BusinessDate);
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync();
            seconds = sw.Elapsed.TotalSeconds;
            await using (var count = new NpgsqlCommand("SELECT count(*) FROM loan_accruals WHERE \"BusinessDate\" = @d", conn, tx))
            {
                count.Parameters.AddWithValue("d", BusinessDate);
                accruals = (long)(await count.ExecuteScalarAsync())!;
            }

            await tx.RollbackAsync();
        }

        await ExecAsync(conn, "VACUUM ANALYZE loans; VACUUM ANALYZE loan_accruals");
        return (seconds, accruals);
    }

    private static async Task<(double Seconds, long Accruals)> CloseAsync(string connection, int batch, bool profile)
    {
        await using var dataSource = NpgsqlDataSource.Create(connection);
        using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(profile ? LogLevel.Debug : LogLevel.Warning));
        var close = new CloseOfBusiness(dataSource, new FixedClock(), Options.Create(new CloseOptions { BatchSize = batch }), logs.CreateLogger<CloseOfBusiness>());
        var sw = Stopwatch.StartNew();
        var result = await close.RunThroughAsync(BusinessDate, "bench");
        var seconds = sw.Elapsed.TotalSeconds;
        if (!result.IsSuccess) throw new InvalidOperationException(result.Error!.Message);
        var run = result.Value!.Single();
        Console.WriteLine($"  close: {run}");
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM loan_accruals WHERE \"BusinessDate\" = @d", conn);
        count.Parameters.AddWithValue("d", BusinessDate);
        return (seconds, (long)(await count.ExecuteScalarAsync())!);
    }

    /// <summary>The way not to do it: one loan at a time through EF Core, SaveChanges per loan.</summary>
    private static async Task<double> NaiveAsync(ServiceProvider services, int loans)
    {
        var factory = services.GetRequiredService<IDbContextFactory<LoanOfficeDbContext>>();
        List<Guid> ids;
        await using (var db = await factory.CreateDbContextAsync())
            ids = await db.Loans.Where(l => Loan.OpenStatuses.Contains(l.Status) && l.ClosedThrough == BusinessDate.AddDays(-1)).Select(l => l.Id).ToListAsync();
        var sw = Stopwatch.StartNew();
        foreach (var id in ids.Take(loans))
        {
            await using var db = await factory.CreateDbContextAsync();
            var loan = await db.Loans.Include(l => l.Installments).SingleAsync(l => l.Id == id);
            var overdue = loan.Installments.Select(i => new InstallmentBalance(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid))
                .Where(b => PaymentAllocator.IsOverdue(b, BusinessDate, loan.GraceDays)).ToList();
            var principal = overdue.Sum(b => b.PrincipalOutstanding);
            var interest = overdue.Sum(b => b.InterestOutstanding);
            var day = OverdueAccrual.AtRate(BusinessDate, principal, interest, loan.PenaltyAnnualRate);
            if (principal > 0) db.LoanAccruals.Add(new LoanAccrual { LoanId = id, BusinessDate = BusinessDate, Kind = AccrualKind.Penalty, Basis = principal, Amount = day.Penalty });
            if (interest > 0) db.LoanAccruals.Add(new LoanAccrual { LoanId = id, BusinessDate = BusinessDate, Kind = AccrualKind.Compound, Basis = interest, Amount = day.Compound });
            var dpd = overdue.Count == 0 ? 0 : BusinessDate.DayNumber - overdue.Min(b => b.DueDate).DayNumber - loan.GraceDays;
            loan.DaysPastDue = dpd;
            loan.DpdClass = Classification.FromDaysPastDue(dpd);
            loan.Class = Classification.Effective(loan.DpdClass, loan.ManualClass);
            loan.ClosedThrough = BusinessDate;
            await db.SaveChangesAsync();
        }

        return sw.Elapsed.TotalSeconds;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var cmd = new NpgsqlCommand(statement, conn) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The close refuses dates that have not ended: the bench's clock stands after the business date.</summary>
    internal sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(BusinessDate.AddDays(1).ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero);
    }
}
