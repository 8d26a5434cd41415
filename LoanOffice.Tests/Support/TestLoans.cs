using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Tests.Integration;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Tests.Support;

/// <summary>
/// Disbursed loans for servicing tests, made quickly: a real intake (customer and application), then a contract and
/// a loan with the domain's schedule written directly, as disbursement writes them (disbursement itself is tested
/// in the origination tests). <see cref="TestSql.CloneAsync"/> copies a loan many times by SQL for volume tests.
/// </summary>
public static class TestLoans
{
    public sealed record Terms(decimal Principal = 12_000m, decimal AnnualRate = 0.18m, int Months = 12,
        RepaymentMethod Method = RepaymentMethod.EqualInstallment, decimal PenaltyMarkup = 0.5m, int GraceDays = 0, int ReminderLeadDays = 3);

    public static async Task<Guid> CreateAsync(IServiceProvider services, DateOnly disbursedOn, Terms? terms = null, string officer = "officer")
    {
        terms ??= new Terms();
        await using var scope = await ActingAs.UserAsync(services, "gm");
        var receipt = await scope.Get<IntakeService>().SubmitAsync(OriginationTests.Request(), "WEB", null);
        var applicationId = receipt.Value!.ApplicationId;
        await using var db = await scope.Get<IDbContextFactory<LoanOfficeDbContext>>().CreateDbContextAsync();
        var app = await db.Applications.SingleAsync(a => a.Id == applicationId);
        var officerId = await db.Users.Where(u => u.UserName == officer).Select(u => u.Id).SingleAsync();
        var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Code == "CREDIT")).ToDomain();
        var snapshot = product.Snapshot(terms.AnnualRate, terms.Method) with
        {
            PenaltyMarkup = terms.PenaltyMarkup, GraceDays = terms.GraceDays, ReminderLeadDays = terms.ReminderLeadDays,
        };
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var contract = new Contract
        {
            Id = Guid.CreateVersion7(), Number = "HT-T-" + suffix, ApplicationId = applicationId, SignedOn = disbursedOn,
            Amount = terms.Principal, Months = terms.Months, AnnualRate = terms.AnnualRate, Method = terms.Method,
            TermsSnapshot = System.Text.Json.JsonSerializer.Serialize(snapshot), CreatedBy = officerId, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Contracts.Add(contract);
        var schedule = ScheduleCalculator.Build(terms.Method, terms.Principal, terms.AnnualRate, terms.Months, disbursedOn).Value!;
        var loan = new Loan
        {
            Id = Guid.CreateVersion7(), Number = "JJ-T-" + suffix, ApplicationId = applicationId, ContractId = contract.Id,
            CustomerId = app.CustomerId, TeamId = app.TeamId, OfficerId = officerId, Principal = terms.Principal,
            AnnualRate = terms.AnnualRate, Months = terms.Months, Method = terms.Method, DisbursedOn = disbursedOn,
            BankAccountMasked = "4111********1111", BankReference = "BANK-T-" + suffix, TermsSnapshot = contract.TermsSnapshot,
            CreatedAt = DateTimeOffset.UtcNow, PenaltyMarkup = terms.PenaltyMarkup, GraceDays = terms.GraceDays,
            ReminderLeadDays = terms.ReminderLeadDays, PenaltyAnnualRate = OverdueAccrual.PenaltyAnnualRate(terms.AnnualRate, terms.PenaltyMarkup),
            ClosedThrough = disbursedOn, DpdClass = LoanClass.Normal, Class = LoanClass.Normal,
            Installments = schedule.Installments.Select(l => new LoanInstallment { Number = l.Number, DueDate = l.DueDate, Principal = l.Principal, Interest = l.Interest }).ToList(),
        };
        loan.ScheduleNextClose();
        db.Loans.Add(loan);
        await db.SaveChangesAsync();
        return loan.Id;
    }

}

/// <summary>
/// A servicing test class: the real app on a database and a clock of its own (<see cref="IsolatedApp"/>), the database
/// a fresh copy of the template for every test, so the close of business and the book's date see only the loans the
/// test made.
/// </summary>
public abstract class ServicingTestBase(IsolatedApp app) : Xunit.IClassFixture<IsolatedApp>, Xunit.IAsyncLifetime
{
    protected IsolatedApp App { get; } = app;

    /// <summary>SQL and a plain context on this class's database.</summary>
    protected TestSql Sql => App.Sql;

    public Task InitializeAsync() => App.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// SQL against one test database (set-up of states the UI cannot produce quickly, and reading what the services
/// wrote): <see cref="Shared"/> is the database most tests share; an <see cref="IsolatedApp"/> has its own.
/// </summary>
public sealed class TestSql(string connectionString)
{
    public static TestSql Shared { get; } = new(TestDatabase.ConnectionString);

    public string ConnectionString { get; } = connectionString;

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>Copies a loan (terms, schedule, state) <paramref name="count"/> times; returns the copies' ids.</summary>
    public async Task<Guid[]> CloneAsync(Guid loanId, int count)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            CREATE TEMP TABLE clone_map AS
                SELECT gen_random_uuid() AS id, g FROM generate_series(1, @count) g;
            INSERT INTO loans ("Id", "Number", "ApplicationId", "ContractId", "CustomerId", "TeamId", "OfficerId", "Principal", "AnnualRate",
                               "Months", "Method", "DisbursedOn", "BankAccountMasked", "BankReference", "Status", "TermsSnapshot", "CreatedAt",
                               "PenaltyMarkup", "PenaltyAnnualRate", "GraceDays", "ReminderLeadDays", "ClosedThrough", "RestsUntil", "DaysPastDue", "DpdClass",
                               "Class", "PenaltyPaid", "CompoundPaid", "ProductCode", "PrincipalOutstanding", "OverdueAmount")
            SELECT m.id, l."Number" || '-' || m.g, gen_random_uuid(), l."ContractId", l."CustomerId", l."TeamId", l."OfficerId", l."Principal",
                   l."AnnualRate", l."Months", l."Method", l."DisbursedOn", l."BankAccountMasked", l."BankReference" || '-' || m.g, l."Status",
                   l."TermsSnapshot", l."CreatedAt", l."PenaltyMarkup", l."PenaltyAnnualRate", l."GraceDays", l."ReminderLeadDays",
                   l."ClosedThrough", l."RestsUntil", l."DaysPastDue", l."DpdClass", l."Class", l."PenaltyPaid", l."CompoundPaid",
                   l."ProductCode", l."PrincipalOutstanding", l."OverdueAmount"
              FROM loans l CROSS JOIN clone_map m WHERE l."Id" = @loan;
            INSERT INTO loan_installments ("LoanId", "Number", "DueDate", "Principal", "Interest", "PrincipalPaid", "InterestPaid")
            SELECT m.id, i."Number", i."DueDate", i."Principal", i."Interest", i."PrincipalPaid", i."InterestPaid"
              FROM loan_installments i CROSS JOIN clone_map m WHERE i."LoanId" = @loan;
            SELECT id FROM clone_map ORDER BY g;
            """, conn);
        cmd.Parameters.AddWithValue("loan", loanId);
        cmd.Parameters.AddWithValue("count", count);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        } while (await reader.NextResultAsync());
        return [.. ids];
    }

    /// <summary>A plain context on the test database (no audit actor) for reading what the services wrote.</summary>
    public LoanOfficeDbContext Db()
    {
        var options = new DbContextOptionsBuilder<LoanOfficeDbContext>();
        DependencyInjection.Configure(options, ConnectionString);
        return new LoanOfficeDbContext(options.Options);
    }

    /// <summary>Runs SQL against the test database (set-up of states the UI cannot produce quickly).</summary>
    public async Task<int> ExecAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The cells the triggers keep (portfolio_live_cells) against the definition added up now (lo_loan_positions):
    /// how many cells differ either way, and emptied cells left with an amount. Zero when they agree.
    /// </summary>
    public Task<long> LiveCellsDifferAsync() => ScalarAsync<long>("""
        WITH kept AS (SELECT team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
                        FROM portfolio_live_cells WHERE loans <> 0),
             now AS (SELECT team_id, officer_id, product_code, method, class, extended, bucket, count(*)::int, sum(principal_outstanding), sum(overdue)
                       FROM lo_loan_positions GROUP BY 1, 2, 3, 4, 5, 6, 7)
        SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM now) a)
             + (SELECT count(*) FROM (SELECT * FROM now EXCEPT SELECT * FROM kept) b)
             + (SELECT count(*) FROM portfolio_live_cells WHERE loans = 0 AND (principal_outstanding <> 0 OR overdue <> 0))
        """);

    /// <summary>
    /// For every snapshot date: its at-risk cells (past due, or classed below 正常) against the per-loan rows holding that
    /// night (portfolio_loan_states), both ways; 0 when they agree.
    /// </summary>
    public Task<long> LoanStatesDifferAsync() => ScalarAsync<long>("""
        WITH cells AS (SELECT business_date, team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
                         FROM portfolio_snapshots WHERE bucket >= 0 OR class <> 'Normal'),
             rows AS (SELECT d.business_date, s.team_id, s.officer_id, s.product_code, s.method, s.class, s.extended, s.bucket,
                             count(*)::int, sum(s.principal_outstanding), sum(s.overdue)
                        FROM (SELECT DISTINCT business_date FROM portfolio_snapshots) d
                        JOIN portfolio_loan_states s ON s.valid_from <= d.business_date AND (s.valid_to IS NULL OR s.valid_to > d.business_date)
                       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
        SELECT (SELECT count(*) FROM (SELECT * FROM cells EXCEPT SELECT * FROM rows) a) + (SELECT count(*) FROM (SELECT * FROM rows EXCEPT SELECT * FROM cells) b)
        """);

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
