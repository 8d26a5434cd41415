using System.Diagnostics;
using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Domain.Loans;
using LoanOffice.Web.Features.Cockpit;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LoanOffice.Bench;

/// <summary>
/// The managers' cockpit at scale: the close benchmark's book (N loans, 10 % overdue, 12 installments each), closed for
/// its business date through the app's own services (so the close writes that night's snapshot), then 18 months of
/// daily snapshots before it. Measures the snapshot step against the close, the GM's and a team lead's dashboard
/// (the headline the page renders first; the portfolio dashboard with its details; with the pipeline) live and for a past date, and the drill-down list
/// (first page + totals) — server time, median of several runs after a first one — and prints the plans.
/// </summary>
public static class CockpitBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var loans = QueueBenchmark.Arg(args, "--loans") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 1_000_000;
        var runs = QueueBenchmark.Arg(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 7;
        var reuse = args.Contains("--reuse");
        var connection = (QueueBenchmark.Arg(args, "--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Default")
                          ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_bench;Username=loanoffice;Password=loanoffice-dev") + ";Command Timeout=0";
        var date = CloseBenchmark.BusinessDate;

        await using var host = Host(connection);
        var services = host.Services;
        if (reuse)
        {
            // a book kept from an earlier run gets the migrations added since
            await using var scope = services.CreateAsyncScope();
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(scope.ServiceProvider.GetRequiredService<Data.LoanOfficeDbContext>().Database);
        }

        if (!reuse)
        {
            var generated = await CloseBenchmark.PrepareAsync(connection, loans);
            Console.WriteLine($"{loans:N0} loans generated in {generated:0.0} s");
            NpgsqlConnection.ClearAllPools();
        }

        await using var dataSource = NpgsqlDataSource.Create(connection);
        double close = 0, snapshot;
        if (!reuse)
        {
            var sw = Stopwatch.StartNew();
            var result = await services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(date, "bench");
            close = sw.Elapsed.TotalSeconds;
            if (!result.IsSuccess) throw new InvalidOperationException(result.Error!.Message);
            Console.WriteLine($"close of {date:yyyy-MM-dd} with its snapshot: {close:0.00} s ({result.Value!.Single()})");
            await ExecAsync(dataSource, "VACUUM ANALYZE loans; VACUUM ANALYZE portfolio_loan_states");
        }

        // the snapshot step alone (the close's last statement for the date; a re-run replaces that night's cells)
        snapshot = await MedianAsync(runs, async () =>
        {
            await using var cmd = dataSource.CreateCommand(Data.Sql.PortfolioSql.WriteSnapshot);
            cmd.Parameters.AddWithValue("d", date);
            await cmd.ExecuteNonQueryAsync();
        });
        Console.WriteLine($"snapshot step: {snapshot * 1000:0} ms (median of {runs})" + (close > 0 ? $", {snapshot / (close - snapshot) * 100:0.0} % of the close without it" : ""));

        if (!reuse)
        {
            // 18 months of nightly snapshots before the date (that night's cells on every earlier night)
            await ExecAsync(dataSource, """
                INSERT INTO portfolio_snapshots (business_date, team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue)
                SELECT d::date, team_id, officer_id, product_code, method, class, extended, bucket, loans, principal_outstanding, overdue
                  FROM portfolio_snapshots s CROSS JOIN generate_series(@d::date - 548, @d::date - 1, interval '1 day') d
                 WHERE s.business_date = @d;
                VACUUM ANALYZE portfolio_snapshots;
                """, ("d", date));
        }

        var rows = await ScalarAsync(dataSource, "SELECT count(*) FROM portfolio_snapshots");
        var days = await ScalarAsync(dataSource, "SELECT count(DISTINCT business_date) FROM portfolio_snapshots");
        Console.WriteLine($"snapshots: {rows:N0} cells over {days} nights");

        var past = new DateOnly(2026, 6, 30);
        var results = new List<(string What, double First, double Median)>();
        foreach (var user in new[] { "gm", "lead" })
        {
            results.Add(await TimeAsync($"{user}: dashboard (portfolio + pipeline), {date:yyyy-MM-dd} live", runs, services, user, async s =>
            {
                var d = await s.GetRequiredService<PortfolioDashboard>().GetAsync(new CockpitFilter());
                var p = await s.GetRequiredService<PipelineDashboard>().GetAsync(new CockpitFilter());
                if (!d.IsSuccess || !p.IsSuccess) throw new InvalidOperationException(d.Error?.Message ?? p.Error?.Message);
            }));
            results.Add(await TimeAsync($"{user}: first render (headline: tiles, breakdown, lending), {date:yyyy-MM-dd} live", runs, services, user, async s =>
                _ = (await s.GetRequiredService<PortfolioDashboard>().HeadlineAsync(new CockpitFilter())).Value!.Total.Loans));
            results.Add(await TimeAsync($"{user}: portfolio dashboard only, {date:yyyy-MM-dd} live", runs, services, user, async s =>
                _ = (await s.GetRequiredService<PortfolioDashboard>().GetAsync(new CockpitFilter())).Value!.Total.Loans));
            results.Add(await TimeAsync($"{user}: dashboard as of {past:yyyy-MM-dd} (snapshot)", runs, services, user, async s =>
                _ = (await s.GetRequiredService<PortfolioDashboard>().GetAsync(new CockpitFilter(), past)).Value!.Total.Loans));
            results.Add(await TimeAsync($"{user}: drill-down PAR30 list, first page + totals", runs, services, user, async s =>
            {
                var q = s.GetRequiredService<LoanQueries>();
                var filter = new LoanFilter(DpdFrom: 31) { OpenOnly = true };
                await q.ListAsync(filter, 0, 25);
                await q.TotalsAsync(filter);
            }));
            results.Add(await TimeAsync($"{user}: drill-down PAR30 list of the night of {date:yyyy-MM-dd} (per-loan rows), first page + totals", runs, services, user, async s =>
            {
                var q = s.GetRequiredService<LoanQueries>();
                var filter = new LoanFilter(DpdFrom: 31) { OpenOnly = true, AsOf = date };
                var page = await q.ListAsync(filter, 0, 25);
                if (page.Total == 0) throw new InvalidOperationException("no per-loan rows for the night");
                await q.TotalsAsync(filter);
            }));
            results.Add(await TimeAsync($"{user}: drill-down 次级+可疑+损失 list, first page + totals", runs, services, user, async s =>
            {
                var q = s.GetRequiredService<LoanQueries>();
                var filter = new LoanFilter { Classes = [LoanClass.Substandard, LoanClass.Doubtful, LoanClass.Loss], OpenOnly = true };
                await q.ListAsync(filter, 0, 25);
                await q.TotalsAsync(filter);
            }));
        }

        Console.WriteLine();
        Console.WriteLine($"| {loans:N0} loans, {days} nights of snapshots | first | median of {runs} |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (what, first, median) in results) Console.WriteLine($"| {what} | {first * 1000:0} ms | {median * 1000:0} ms |");
        Console.WriteLine($"| snapshot step (close of {date:yyyy-MM-dd}: {close:0.00} s) | | {snapshot * 1000:0} ms |");

        if (args.Contains("--plans")) await PlansAsync(dataSource, date);
        return 0;
    }

    private static WebApplication Host(string connection)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["ConnectionStrings:Default"] = connection;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        builder.Services.AddLoanOfficeData(builder.Configuration);
        builder.Services.AddLoanOfficeWeb(builder.Configuration);
        builder.Services.AddSingleton<TimeProvider>(new CloseBenchmark.FixedClock());
        builder.Services.AddScoped<IAuditContext>(_ => new SystemAuditContext("bench"));
        return builder.Build();
    }

    private static async Task<(string, double, double)> TimeAsync(string what, int runs, IServiceProvider root, string user, Func<IServiceProvider, Task> action)
    {
        double Once(Func<Task> f) { var sw = Stopwatch.StartNew(); f().GetAwaiter().GetResult(); return sw.Elapsed.TotalSeconds; }
        var first = Once(() => ActingUser.RunAsync(root, user, async s => { await action(s); return 0; }));
        var median = await MedianAsync(runs, () => ActingUser.RunAsync(root, user, async s => { await action(s); return 0; }));
        Console.WriteLine($"{what}: first {first * 1000:0} ms, median {median * 1000:0} ms");
        return (what, first, median);
    }

    private static async Task<double> MedianAsync(int runs, Func<Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static async Task PlansAsync(NpgsqlDataSource dataSource, DateOnly date)
    {
        var teams = await ScalarAsync<Guid[]>(dataSource, "SELECT array_agg(\"Id\") FROM teams");
        var plans = new (string Name, string Sql)[]
        {
            ("live cells (GM)", Data.Sql.PortfolioSql.LiveCells),
            ("snapshot cells (GM, a past date)", Data.Sql.PortfolioSql.SnapshotCells),
            ("the snapshot step", Data.Sql.PortfolioSql.WriteSnapshot.Split(';')[1]),
            ("lending in three periods", Data.Sql.PortfolioSql.Flows),
            ("collections this month", Data.Sql.PortfolioSql.Collections),
            ("vintages", Data.Sql.PortfolioSql.Vintages),
            ("migration since last month's end", Data.Sql.PortfolioSql.Migration),
            ("officer league", Data.Sql.PortfolioSql.OfficerLeague),
        };
        foreach (var (name, sql) in plans)
        {
            await using var cmd = dataSource.CreateCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql);
            cmd.Parameters.AddWithValue("teams", teams);
            cmd.Parameters.AddWithValue("own", NpgsqlTypes.NpgsqlDbType.Uuid, DBNull.Value);
            cmd.Parameters.AddWithValue("product", NpgsqlTypes.NpgsqlDbType.Text, DBNull.Value);
            cmd.Parameters.AddWithValue("extended", true);
            cmd.Parameters.AddWithValue("d", name.Contains("past") ? new DateOnly(2026, 6, 30) : date);
            var month = new DateOnly(date.Year, date.Month, 1);
            foreach (var (k, v) in new[] { ("prev", month.AddDays(-1)), ("from", month), ("to", date), ("from0", month), ("to0", date),
                         ("from1", month.AddMonths(-1)), ("to1", month.AddDays(-1)), ("from2", month.AddYears(-1)), ("to2", month.AddYears(-1).AddMonths(1).AddDays(-1)) })
                if (sql.Contains("@" + k + "::", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(sql, "@" + k + "\\b"))
                    cmd.Parameters.AddWithValue(k, v);
            Console.WriteLine($"\n-- {name}");
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) Console.WriteLine(reader.GetString(0));
        }
    }

    private static async Task ExecAsync(NpgsqlDataSource dataSource, string sql, params (string, object)[] parameters)
    {
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var cmd = dataSource.CreateCommand(statement);
            foreach (var (k, v) in parameters) if (statement.Contains("@" + k)) cmd.Parameters.AddWithValue(k, v);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql) => ScalarAsync<long>(dataSource, sql);

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
