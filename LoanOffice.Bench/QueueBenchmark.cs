using System.Diagnostics;
using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Applications;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace LoanOffice.Bench;

/// <summary>
/// The review queue against N applications (default 1,000,000) generated with binary COPY: every filter and sort
/// combination the queue page offers, first page and count, timed by EXPLAIN ANALYZE, and checked for sequential
/// scans of the applications table. Uses the page's own query code (ApplicationQueries.Filter / Page).
/// </summary>
public static class QueueBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Arg(args, "--rows") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 1_000_000;
        var connection = Arg(args, "--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Default")
                         ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_bench;Username=loanoffice;Password=loanoffice-dev";
        var reuse = args.Contains("--reuse");
        var services = Services(connection);
        var factory = services.GetRequiredService<IDbContextFactory<LoanOfficeDbContext>>();

        if (!reuse)
        {
            await Recreate(connection);
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>().Database.MigrateAsync();
                await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
            }

            var sw = Stopwatch.StartNew();
            await Generate(factory, connection, rows);
            Console.WriteLine($"generated {rows:N0} applications with COPY in {sw.Elapsed.TotalSeconds:0.0} s");
        }

        await using var db = await factory.CreateDbContextAsync();
        var hz = await db.Teams.Where(t => t.Code == "HZ01").Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var results = new List<(string Name, double PageMs, double CountMs, bool SeqScan)>();
        foreach (var filter in Combinations(hz)) // warm-up pass: measure a warm cache, as a working day has
            await ApplicationQueries.Filter(db.Applications.AsNoTracking(), filter, now).CountAsync();
        foreach (var filter in Combinations(hz))
        {
            var filtered = ApplicationQueries.Filter(db.Applications.AsNoTracking(), filter, now);
            var page = ApplicationQueries.Page(db, filtered, 0, 25, now);
            var (pageMs, pageSeq) = await Explain(db, page.CreateDbCommand(), wrapCount: false);
            var (countMs, countSeq) = await Explain(db, filtered.Select(a => a.Id).CreateDbCommand(), wrapCount: true);
            results.Add((Describe(filter), pageMs, countMs, pageSeq || countSeq));
        }

        var worst = results.OrderByDescending(x => x.PageMs + x.CountMs).Take(5).ToList();
        Console.WriteLine($"combinations: {results.Count}; sequential scans of applications: {results.Count(x => x.SeqScan)}");
        Console.WriteLine($"first page: median {Median(results.Select(x => x.PageMs)):0.00} ms, max {results.Max(x => x.PageMs):0.00} ms");
        Console.WriteLine($"count:      median {Median(results.Select(x => x.CountMs)):0.00} ms, max {results.Max(x => x.CountMs):0.00} ms");
        Console.WriteLine($"page + count: max {results.Max(x => x.PageMs + x.CountMs):0.00} ms");
        Console.WriteLine("slowest five (page + count):");
        foreach (var w in worst) Console.WriteLine($"  {w.PageMs,7:0.00} + {w.CountMs,7:0.00} ms  {w.Name}");
        return results.Any(x => x.SeqScan) ? 1 : 0;
    }

    private static IEnumerable<QueueFilter> Combinations(Guid team)
    {
        ApplicationState[]?[] states = [null, [ApplicationState.Submitted], [ApplicationState.PreliminaryReview]];
        Guid?[] teams = [null, team];
        string?[] products = [null, "CREDIT"];
        (decimal?, decimal?)[] amounts = [(null, null), (50_000m, 200_000m)];
        int?[] ages = [null, 24];
        (string, bool)[] sorts = [("age", true), ("age", false), ("amount", true), ("amount", false), ("received", true), ("received", false)];
        foreach (var s in states)
        foreach (var t in teams)
        foreach (var p in products)
        foreach (var a in amounts)
        foreach (var g in ages)
        foreach (var (sort, desc) in sorts)
            yield return new QueueFilter(s, t, p, a.Item1, a.Item2, g, sort, desc);
    }

    private static string Describe(QueueFilter f) =>
        $"states={(f.States is null ? "review" : string.Join('+', f.States))} team={(f.TeamId is null ? "-" : "HZ01")} product={f.ProductCode ?? "-"} " +
        $"amount={(f.MinAmount is null ? "-" : "50k-200k")} age={(f.MinAgeHours is null ? "-" : "≥24h")} sort={f.SortBy}{(f.Descending ? " desc" : " asc")}";

    private static async Task<(double Ms, bool SeqScan)> Explain(LoanOfficeDbContext db, System.Data.Common.DbCommand command, bool wrapCount)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync();
        await using var explain = new NpgsqlCommand(
            "EXPLAIN (ANALYZE, BUFFERS) " + (wrapCount ? $"SELECT count(*) FROM ({WithoutOrder(command.CommandText)}) q" : command.CommandText), conn);
        foreach (NpgsqlParameter p in command.Parameters) explain.Parameters.Add(p.Clone());
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        var ms = double.Parse(plan.Last(l => l.StartsWith("Execution Time", StringComparison.Ordinal)).Split(':')[1].Replace("ms", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
        return (ms, plan.Any(l => l.Contains("Seq Scan on applications", StringComparison.Ordinal)));
    }

    /// <summary>EF's CountAsync drops the ORDER BY of the filtered query; count the same way.</summary>
    private static string WithoutOrder(string sql) =>
        sql.LastIndexOf("ORDER BY", StringComparison.Ordinal) is var i and >= 0 ? sql[..i] : sql;

    private static async Task Generate(IDbContextFactory<LoanOfficeDbContext> factory, string connection, int rows)
    {
        await using var db = await factory.CreateDbContextAsync();
        var teams = await db.Teams.Select(t => t.Id).ToListAsync();
        var products = await db.Products.Select(p => new { p.Id, p.Code }).ToListAsync();
        var officers = await db.Users.Where(u => u.UserName!.StartsWith("officer")).Select(u => u.Id).ToListAsync();
        var rnd = new Random(42);
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        var customers = await CopyCustomersAsync(conn, teams, 2000, rnd);

        // a realistic mix: most files are finished, about 3 % wait for review
        (ApplicationState State, int Weight)[] mix =
        [
            (ApplicationState.Disbursed, 650), (ApplicationState.Rejected, 150), (ApplicationState.Withdrawn, 50), (ApplicationState.Pool, 10),
            (ApplicationState.Assigned, 10), (ApplicationState.Collecting, 40), (ApplicationState.Submitted, 20), (ApplicationState.PreliminaryReview, 10),
            (ApplicationState.Approval, 20), (ApplicationState.FinalReview, 10), (ApplicationState.Approved, 15), (ApplicationState.Contracted, 15),
        ];
        var total = mix.Sum(m => m.Weight);
        var now = DateTime.UtcNow;
        await using var apps = await conn.BeginBinaryImportAsync(
            "COPY applications (\"Id\", \"Number\", \"TeamId\", \"CustomerId\", \"ApplicantName\", \"District\", \"Channel\", \"ProductId\", \"ProductCode\", " +
            "\"RequestedAmount\", \"RequestedMonths\", \"ProposedRate\", \"Method\", \"Purpose\", \"State\", \"ReceivedAt\", \"StateSince\", \"AssignedOfficerId\") FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < rows; i++)
        {
            var pick = rnd.Next(total);
            var state = mix.First(m => (pick -= m.Weight) < 0).State;
            var product = products[rnd.Next(10) < 7 ? 0 : 1];
            var received = now.AddMinutes(-rnd.Next(60 * 24 * 730));
            var since = state is ApplicationState.Submitted or ApplicationState.PreliminaryReview ? now.AddMinutes(-rnd.Next(60 * 24 * 5)) : received.AddMinutes(rnd.Next(60 * 24 * 30));
            await apps.StartRowAsync();
            await apps.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await apps.WriteAsync("BN" + i.ToString("D10", CultureInfo.InvariantCulture), NpgsqlDbType.Varchar);
            await apps.WriteAsync(teams[rnd.Next(teams.Count)], NpgsqlDbType.Uuid);
            await apps.WriteAsync(customers[rnd.Next(customers.Length)], NpgsqlDbType.Uuid);
            await apps.WriteAsync("申请人" + (i % 10_000), NpgsqlDbType.Varchar);
            await apps.WriteAsync("杭州市西湖区", NpgsqlDbType.Varchar);
            await apps.WriteAsync("WEB", NpgsqlDbType.Varchar);
            await apps.WriteAsync(product.Id, NpgsqlDbType.Uuid);
            await apps.WriteAsync(product.Code, NpgsqlDbType.Varchar);
            await apps.WriteAsync((decimal)(rnd.Next(50, 3000) * 100), NpgsqlDbType.Numeric);
            await apps.WriteAsync(rnd.Next(3, 37), NpgsqlDbType.Integer);
            await apps.WriteAsync(0.12m, NpgsqlDbType.Numeric);
            await apps.WriteAsync("EqualInstallment", NpgsqlDbType.Varchar);
            await apps.WriteAsync("经营周转", NpgsqlDbType.Varchar);
            await apps.WriteAsync(state.ToString(), NpgsqlDbType.Varchar);
            await apps.WriteAsync(received, NpgsqlDbType.TimestampTz);
            await apps.WriteAsync(since, NpgsqlDbType.TimestampTz);
            if (state is ApplicationState.Pool or ApplicationState.Submitted) await apps.WriteNullAsync();
            else await apps.WriteAsync(officers[rnd.Next(officers.Count)], NpgsqlDbType.Uuid);
        }

        await apps.CompleteAsync();
        await apps.CloseAsync();
        // what autovacuum does on a live database: statistics and the visibility map (index-only scans)
        foreach (var table in new[] { "applications", "customers" })
        {
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE " + table, conn);
            await vacuum.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Writes <paramref name="count"/> customers (spread over the teams) with binary COPY.</summary>
    internal static async Task<Guid[]> CopyCustomersAsync(NpgsqlConnection conn, List<Guid> teams, int count, Random rnd)
    {
        var customers = new Guid[count];
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY customers (\"Id\", \"Name\", \"ResidentIdCipher\", \"ResidentIdHash\", \"ResidentIdMasked\", \"MobileCipher\", \"MobileHash\", \"MobileMasked\", \"District\", \"TeamId\", \"CreatedAt\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < customers.Length; i++)
            {
                customers[i] = Guid.CreateVersion7();
                var hash = new byte[32];
                rnd.NextBytes(hash);
                await copy.StartRowAsync();
                await copy.WriteAsync(customers[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync("客户" + i, NpgsqlDbType.Varchar);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
                await copy.WriteAsync("330106********0000", NpgsqlDbType.Text);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
                await copy.WriteAsync("138****0000", NpgsqlDbType.Text);
                await copy.WriteAsync("杭州市西湖区", NpgsqlDbType.Text);
                await copy.WriteAsync(teams[i % teams.Count], NpgsqlDbType.Uuid);
                await copy.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        return customers;
    }

    internal static ServiceProvider Services(string connection)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = connection }).Build();
        services.AddLoanOfficeData(config);
        services.AddLoanOfficeIdentityCore();
        services.AddScoped<IAuditContext>(_ => new SystemAuditContext("bench"));
        services.AddScoped<DemoCompanySeeder>();
        return services.BuildServiceProvider();
    }

    internal static async Task Recreate(string connection)
    {
        var b = new NpgsqlConnectionStringBuilder(connection);
        var name = b.Database;
        b.Database = "postgres";
        await using var conn = new NpgsqlConnection(b.ConnectionString);
        await conn.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == "42501" && attempt < 10)
            {
                // an autovacuum worker (owned by the superuser) is still in the database: it ends on its own
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn)) await create.ExecuteNonQueryAsync();
    }

    internal static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    internal static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? 0 : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }
}
