using System.Diagnostics;
using System.Globalization;
using System.Text;
using LoanOffice.Data;
using LoanOffice.Data.Auditing;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Import;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Validation;
using LoanOffice.Web.Features.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LoanOffice.Bench;

/// <summary>
/// The migration import at scale: N customers, N loans (12 months, disbursed over the last year) and their payment
/// history (every installment due so far, on its due date; every tenth loan stops after its sixth) imported into a
/// fresh database through the importer itself, as three CSV files. Reports rows per second for each file and loans per
/// second with their payments (the target: ≥ 2,000).
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = QueueBenchmark.Arg(args, "--loans") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 100_000;
        var connection = (QueueBenchmark.Arg(args, "--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Default")
                          ?? "Host=127.0.0.1;Port=55433;Database=loanoffice_bench;Username=loanoffice;Password=loanoffice-dev") + ";Command Timeout=0";
        await QueueBenchmark.Recreate(connection);
        NpgsqlConnection.ClearAllPools();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = connection }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(config);
        collection.AddSingleton(TimeProvider.System);
        collection.AddLoanOfficeData(config);
        collection.AddLoanOfficeIdentityCore();
        collection.AddScoped<IAuditContext>(_ => new SystemAuditContext("bench"));
        collection.AddScoped<DemoCompanySeeder>();
        collection.AddSingleton<LoanOffice.Data.Security.PersonalDataProtector>();
        collection.AddScoped<ImportService>();
        await using var services = collection.BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<LoanOfficeDbContext>().Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<DemoCompanySeeder>().SeedAsync();
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var (customers, loans, payments, paymentCount) = Files(count, today);
        Console.WriteLine($"files: {count:N0} customers ({customers.Length / 1e6:0.0} MB), {count:N0} loans ({loans.Length / 1e6:0.0} MB), {paymentCount:N0} payments ({payments.Length / 1e6:0.0} MB)");
        var results = new List<(string File, int Rows, double Seconds)>();
        await using (var scope = services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
            var sw = Stopwatch.StartNew();
            var c = Check(await importer.ImportAsync(ImportKind.Customers, "customers.csv", customers, new ImportOptions(), ImportActor.System("bench")));
            results.Add(("customers", c.Imported, sw.Elapsed.TotalSeconds));
            Console.WriteLine($"customers: {c.Imported:N0} in {sw.Elapsed.TotalSeconds:0.0} s");
            sw.Restart();
            var dry = await importer.ImportLoansAsync(new ImportUpload("loans.csv", loans), new ImportUpload("payments.csv", payments), new ImportOptions(DryRun: true),
                ImportActor.System("bench"));
            Console.WriteLine($"loans with payments, check only (read, validate, replay): {sw.Elapsed.TotalSeconds:0.0} s ({dry.Value!.Imported:N0} loans)");
            sw.Restart();
            var l = Check(await importer.ImportLoansAsync(new ImportUpload("loans.csv", loans), new ImportUpload("payments.csv", payments), new ImportOptions(),
                ImportActor.System("bench")));
            results.Add(("loans with their payments (one pass)", l.Imported, sw.Elapsed.TotalSeconds));
            Console.WriteLine($"loans with payments: {l.Imported:N0} loans, {l.Payments!.Imported:N0} payments in {sw.Elapsed.TotalSeconds:0.0} s = {l.Imported / sw.Elapsed.TotalSeconds:N0} loans/s");
        }

        var loanSeconds = results[1].Seconds;
        Console.WriteLine();
        Console.WriteLine("| file | rows | seconds | rows/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var r in results) Console.WriteLine($"| {r.File} | {r.Rows:N0} | {r.Seconds:0.0} | {r.Rows / r.Seconds:N0} |");
        Console.WriteLine($"| payments | {paymentCount:N0} | (with the loans) | {paymentCount / loanSeconds:N0} |");
        return count / loanSeconds >= 2_000 ? 0 : 1;
    }

    private static ImportOutcome Check(LoanOffice.Domain.Common.Result<ImportOutcome> result)
    {
        var o = result.Value ?? throw new InvalidOperationException(result.Error!.Message);
        if (o.Problems.Count > 0 || !o.Applied) throw new InvalidOperationException($"{o.Problems.Count} problems, e.g. {o.Problems[0].Error.Code} row {o.Problems[0].Row}");
        return o;
    }

    private static (byte[] Customers, byte[] Loans, byte[] Payments, int PaymentCount) Files(int count, DateOnly today)
    {
        var c = new StringBuilder("姓名,身份证号,手机号,地址,区域,银行卡号\n");
        var l = new StringBuilder("外部借据号,客户身份证号,产品代码,团队代码,客户经理,本金,年利率,还款方式,期数,放款日,罚息上浮,宽限天数\n");
        var p = new StringBuilder("外部借据号,入账日,金额,外部流水号\n");
        var districts = new[] { ("杭州市西湖区", "HZ01"), ("上海市浦东新区", "SH01"), ("深圳市南山区", "SZ01") };
        var schedules = new Dictionary<DateOnly, RepaymentSchedule>();
        var payments = 0;
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < count; i++)
        {
            var first17 = string.Create(inv, $"330106{new DateOnly(1960, 1, 1).AddDays(i / 1000):yyyyMMdd}{i % 1000:000}");
            var id = first17 + ResidentId.CheckCharacter(first17);
            var (district, team) = districts[i % 3];
            c.Append(inv, $"客户{i},{id},13{i:000000000},,{district},\n");
            var disbursed = today.AddDays(-(i % 365) - 1);
            l.Append(inv, $"B{i:0000000},{id},CREDIT,{team},,50000,0.15,EqualInstallment,12,{disbursed:yyyy-MM-dd},,\n");
            if (!schedules.TryGetValue(disbursed, out var schedule))
                schedules[disbursed] = schedule = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 50_000m, 0.15m, 12, disbursed).Value!;
            foreach (var line in schedule.Installments.Where(x => x.DueDate < today).Take(i % 10 == 0 ? 6 : 12))
            {
                p.Append(inv, $"B{i:0000000},{line.DueDate:yyyy-MM-dd},{line.Payment},B{i:0000000}-{line.Number}\n");
                payments++;
            }
        }

        return (Encoding.UTF8.GetBytes(c.ToString()), Encoding.UTF8.GetBytes(l.ToString()), Encoding.UTF8.GetBytes(p.ToString()), payments);
    }
}
