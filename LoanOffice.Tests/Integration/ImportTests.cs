using System.Text;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Import;
using LoanOffice.Domain.Loans;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Import;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>迁移导入: customers, loans and payment history from an old system, checked whole, replayed by the domain, idempotent.</summary>
public class ImportTests(IsolatedApp app) : ServicingTestBase(app)
{
    private static readonly ImportActor Admin = new(Guid.Empty, "admin", "user:admin");

    private async Task<ImportOutcome> ImportAsync(ImportKind kind, string csv, ImportOptions? options = null, string file = "file.csv")
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportAsync(kind, file, Encoding.UTF8.GetBytes(csv), options ?? new(), Admin);
        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        return result.Value!;
    }

    private async Task<ImportOutcome> ImportLoansWithPaymentsAsync(string loans, string payments, ImportOptions? options = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportLoansAsync(
            new ImportUpload("loans.csv", Encoding.UTF8.GetBytes(loans)), new ImportUpload("payments.csv", Encoding.UTF8.GetBytes(payments)), options ?? new(), Admin);
        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        return result.Value!;
    }

    private static string Describe(ImportOutcome o) => string.Join("; ", o.Problems.Select(p => $"{p.Row} {p.Column} {p.Error.Code} '{p.Value}'"));

    private static string Id() => OriginationTests.NewResidentId();

    private static string Csv(params IEnumerable<string> lines) => string.Join("\n", lines) + "\n";

    private const string CustomerHeader = "姓名,身份证号,手机号,地址,区域,银行卡号";
    private const string LoanHeader = "外部借据号 loanNumber,客户身份证号,productCode,团队代码,客户经理,本金,年利率,还款方式,期数,放款日,罚息上浮,宽限天数";
    private const string PaymentHeader = "外部借据号,入账日,金额,外部流水号";

    private static readonly TestLoans.Terms Terms = new(50_000m, 0.15m, 12, RepaymentMethod.EqualInstallment, 0.5m, 3, 3);

    [Fact]
    public async Task AnImportedLoan_WithItsPayments_IsTheLoanDisbursedHere_ClosedNightByNight()
    {
        var id = Id();
        var number = "OLD-" + Guid.NewGuid().ToString("N")[..8];
        var disbursed = new DateOnly(2026, 6, 15);
        var schedule = ScheduleCalculator.Build(Terms.Method, Terms.Principal, Terms.AnnualRate, Terms.Months, disbursed).Value!;
        var first = schedule.Installments[0].Payment; // on time on 07-15; then 5,000 late on 08-25, then nothing: overdue since 09-19

        var customers = await ImportAsync(ImportKind.Customers, Csv(CustomerHeader, $"李娜,{id},13900139000,杭州市西湖区文三路 1 号,杭州市西湖区,6222020200000000006"));
        customers.Imported.ShouldBe(1, Describe(customers));
        var loans = await ImportAsync(ImportKind.Loans, Csv(LoanHeader, $"{number},{id},CREDIT,HZ01,officer,\"50,000.00\",15%,等额本息,12,2026-06-15,0.5,3"));
        (loans.Imported, loans.Problems.Count).ShouldBe((1, 0));
        var payments = await ImportAsync(ImportKind.Payments, Csv(PaymentHeader, $"{number},2026-07-15,{first},R1-{number}", $"{number},2026/08/25,5000,R2-{number}"));
        (payments.Imported, payments.Problems.Count).ShouldBe((2, 0));

        // the same loan and payments in one pass (loans with their payments file)
        var onePass = "ONE-" + number[4..];
        var both = await ImportLoansWithPaymentsAsync(Csv(LoanHeader, $"{onePass},{id},CREDIT,HZ01,officer,50000,0.15,EqualInstallment,12,2026-06-15,0.5,3"),
            Csv(PaymentHeader, $"{onePass},2026-07-15,{first},R1-{onePass}", $"{onePass},2026-08-25,5000,R2-{onePass}"));
        (both.Imported, both.Payments!.Imported, both.Problems.Count).ShouldBe((1, 2, 0), Describe(both));

        // the twin: the same loan disbursed here, its payments posted as they came, the close run every night through yesterday
        var twin = await TestLoans.CreateAsync(App.Services, disbursed, Terms);
        var close = App.Services.GetRequiredService<CloseOfBusiness>();
        (await close.RunThroughAsync(new DateOnly(2026, 7, 14), "test")).IsSuccess.ShouldBeTrue();
        await PostAsync(twin, new DateOnly(2026, 7, 15), first);
        (await close.RunThroughAsync(new DateOnly(2026, 8, 24), "test")).IsSuccess.ShouldBeTrue();
        await PostAsync(twin, new DateOnly(2026, 8, 25), 5_000m);
        (await close.RunThroughAsync(new DateOnly(2026, 11, 30), "test")).IsSuccess.ShouldBeTrue();

        await using var db = Sql.Db();
        var here = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleAsync(l => l.Id == twin);
        foreach (var n in new[] { onePass, number })
            await TheSameAsync(db, n, here);
        var imported = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleAsync(l => l.Number == number);
        (await db.CollectionCases.CountAsync(c => c.Status == CaseStatus.Open && c.OpenedOn == new DateOnly(2026, 9, 19))).ShouldBe(3);
        // the file, its contract and its audit rows name the file and its hash
        var file = await db.Applications.AsNoTracking().Include(a => a.Transitions).SingleAsync(a => a.Id == imported.ApplicationId);
        (file.State, file.Channel, file.Transitions.Single().Name).ShouldBe((LoanOffice.Domain.Applications.ApplicationState.Disbursed, "IMPORT", "import"));
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityKey == imported.Id.ToString() && a.EntityType == "Loan").SingleAsync();
        (audit.Actor, audit.Action).ShouldBe(("user:admin", "Created"));
        audit.Changes.ShouldContain(loans.Sha256);
        audit.Changes.ShouldContain("\"file\":\"file.csv\"");
        (await db.AuditEntries.CountAsync(a => a.EntityType == "LoanTransaction" && a.Changes.Contains(payments.Sha256))).ShouldBe(2);
        // appended already sealed, they continue the one chain
        var chain = await LoanOffice.Data.Auditing.AuditVerifier.VerifyAsync(db);
        chain.Intact.ShouldBeTrue(chain.ToString());
        audit.Sequence.ShouldBeGreaterThan(0);

        // the close goes on with it from here like with any loan
        App.Clock.Advance(TimeSpan.FromDays(1));
        (await close.RunThroughAsync(new DateOnly(2026, 12, 1), "test")).IsSuccess.ShouldBeTrue();
        (await Sql.ScalarAsync<int>("""SELECT "DaysPastDue" FROM loans WHERE "Number" = @n""", ("n", number))).ShouldBe(77);
    }

    private static async Task TheSameAsync(Data.LoanOfficeDbContext db, string number, Data.Origination.Loan here)
    {
        var imported = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleAsync(l => l.Number == number);
        (imported.ClosedThrough, imported.DaysPastDue, imported.DpdClass, imported.Class, imported.Status, imported.PenaltyPaid, imported.CompoundPaid, imported.RestsUntil)
            .ShouldBe((here.ClosedThrough, here.DaysPastDue, here.DpdClass, here.Class, here.Status, here.PenaltyPaid, here.CompoundPaid, here.RestsUntil));
        imported.DaysPastDue.ShouldBe(76, "installment 3 (due 09-15) only partly paid, past its grace since 09-19");
        imported.Installments.OrderBy(i => i.Number).Select(i => (i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid))
            .ShouldBe(here.Installments.OrderBy(i => i.Number).Select(i => (i.Number, i.DueDate, i.Principal, i.Interest, i.PrincipalPaid, i.InterestPaid)));
        var accruals = await db.LoanAccruals.AsNoTracking().Where(a => a.LoanId == imported.Id).OrderBy(a => a.BusinessDate).ThenBy(a => a.Kind)
            .Select(a => new { a.BusinessDate, a.Kind, a.Basis, a.Amount }).ToListAsync();
        accruals.Count.ShouldBeGreaterThan(70);
        accruals.ShouldBe(await db.LoanAccruals.AsNoTracking().Where(a => a.LoanId == here.Id).OrderBy(a => a.BusinessDate).ThenBy(a => a.Kind)
            .Select(a => new { a.BusinessDate, a.Kind, a.Basis, a.Amount }).ToListAsync());
        (await db.LoanTransactions.AsNoTracking().Where(t => t.LoanId == imported.Id).OrderBy(t => t.ValueDate).Select(t => t.Allocation).ToListAsync())
            .ShouldBe(await db.LoanTransactions.AsNoTracking().Where(t => t.LoanId == here.Id).OrderBy(t => t.ValueDate).Select(t => t.Allocation).ToListAsync());
        var cases = await db.CollectionCases.AsNoTracking().Where(c => c.LoanId == imported.Id || c.LoanId == here.Id).ToListAsync();
        cases.Where(c => c.Status == CaseStatus.Open).Select(c => c.OpenedOn).Distinct().ShouldBe([new DateOnly(2026, 9, 19)]);
        cases.Count(c => c.Status == CaseStatus.Open).ShouldBe(2);

    }

    private async Task PostAsync(Guid loan, DateOnly date, decimal amount)
    {
        var version = (uint)await Sql.ScalarAsync<long>("""SELECT xmin::text::bigint FROM loans WHERE "Id" = @id""", ("id", loan));
        await using var scope = await ActingAs.UserAsync(App.Services, "finance");
        var posted = await scope.Get<LoanServicing>().PostRepaymentAsync(loan, date, amount, "BankTransfer", "TWIN-" + Guid.NewGuid().ToString("N")[..10], version);
        posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
    }

    [Fact]
    public async Task EveryBadRow_IsReportedWithItsColumn_NothingIsImported_UnlessCleanRowsOnly_AndAReimportChangesNothing()
    {
        var good = Id();
        var twice = Id();
        var customers = Csv(CustomerHeader,
            $"王五,{good},13700137000,,杭州市滨江区,",            // 2: good
            $"赵六,{twice},13700137001,,杭州市西湖区,",           // 3: good
            $",{Id()},13700137002,,杭州市西湖区,",                // 4: no name
            $"钱七,110101199003070012,13700137003,,杭州市西湖区,",  // 5: check character
            $"孙八,{Id()},23700137004,,杭州市西湖区,",             // 6: mobile
            $"周九,{twice},13700137005,,杭州市西湖区,",            // 7: duplicate of row 3
            $"吴十,{Id()},13700137006,,拉萨市城关区,",             // 8: district nobody serves
            $"郑一,{Id()},13700137007,,杭州市西湖区,6222020200000000005"); // 9: card fails Luhn
        var refused = await ImportAsync(ImportKind.Customers, customers);
        refused.Applied.ShouldBeFalse();
        refused.Imported.ShouldBe(0);
        refused.Problems.Count.ShouldBe(6, Describe(refused));
        refused.Problems.Select(p => (p.Row, p.Column, p.Error.Code)).ShouldBe([
            (4, "name", ErrorCodes.Required), (5, "residentId", ErrorCodes.ResidentIdCheckCharacter), (6, "mobile", refused.Problems[2].Error.Code),
            (7, "residentId", ErrorCodes.ImportDuplicateInFile), (8, "district", ErrorCodes.ImportDistrictNotServed), (9, "bankCard", refused.Problems[5].Error.Code)]);
        refused.Problems[2].Error.Code.ShouldStartWith("Mobile");
        refused.Problems[3].Error.Args.ShouldBe([3]);
        await using (var db = Sql.Db()) (await db.Customers.CountAsync(c => c.Name == "王五")).ShouldBe(0, "a file with a bad row imports nothing");

        var dry = await ImportAsync(ImportKind.Customers, customers, new ImportOptions(DryRun: true, CleanRowsOnly: true));
        (dry.Imported, dry.Applied).ShouldBe((2, false));
        var clean = await ImportAsync(ImportKind.Customers, customers, new ImportOptions(CleanRowsOnly: true));
        (clean.Imported, clean.Applied).ShouldBe((2, true));
        var auditRows = await Sql.ScalarAsync<long>("SELECT count(*) FROM audit_log");
        var again = await ImportAsync(ImportKind.Customers, customers, new ImportOptions(CleanRowsOnly: true));
        (again.Imported, again.Unchanged).ShouldBe((0, 2));
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM audit_log")).ShouldBe(auditRows, "a re-import writes nothing");

        var n = Guid.NewGuid().ToString("N")[..6];
        var loans = await ImportAsync(ImportKind.Loans, Csv(LoanHeader,
            $"A-{n},{good},CREDIT,HZ01,officer,20000,0.12,EqualPrincipal,6,2026-05-10,,",      // 2: good
            $"B-{n},{Id()},CREDIT,HZ01,officer,20000,0.12,EqualPrincipal,6,2026-05-10,,",      // 3: customer not imported
            $"C-{n},{good},CREDIT,XX99,,20000,0.12,EqualPrincipal,6,2026-05-10,,",             // 4: team
            $"D-{n},{good},CREDIT,HZ01,officer.sh,20000,0.12,EqualPrincipal,6,2026-05-10,,",   // 5: officer of another team
            $"E-{n},{good},GOLD,HZ01,,20000,0.12,EqualPrincipal,6,2026-05-10,,",               // 6: product
            $"F-{n},{good},CREDIT,HZ01,,20000,0.30,EqualPrincipal,6,2026-05-10,,",             // 7: rate over the product's
            $"G-{n},{good},CREDIT,HZ01,,20000,0.12,每月随心还,6,2026-05-10,,",                 // 8: method
            $"H-{n},{good},CREDIT,HZ01,,20000,0.12,EqualPrincipal,6,2027-01-01,,",             // 9: disbursed in the future
            $"A-{n},{good},CREDIT,HZ01,,20000,0.12,EqualPrincipal,6,2026-05-10,,",             // 10: duplicate number
            $"I-{n},{good},CREDIT,HZ01,,20000.005,0.12,EqualPrincipal,6,2026-05-10,,"));       // 11: not in fen
        loans.Problems.Count.ShouldBe(9, Describe(loans));
        loans.Problems.Select(p => (p.Row, p.Column, p.Error.Code)).ShouldBe([
            (3, "residentId", ErrorCodes.ImportCustomerNotFound), (4, "teamCode", ErrorCodes.ImportTeamNotFound),
            (5, "officer", ErrorCodes.ImportOfficerNotInTeam), (6, "productCode", ErrorCodes.ImportProductNotFound),
            (7, "annualRate", loans.Problems[4].Error.Code), (8, "method", ErrorCodes.NotOneOf), (9, "disbursedOn", ErrorCodes.DateInFuture),
            (10, "loanNumber", ErrorCodes.ImportDuplicateInFile), (11, "principal", ErrorCodes.AmountNotInFen)]);
        loans.Problems[4].Error.Code.ShouldStartWith("Product.");
        (await ImportAsync(ImportKind.Loans, Csv(LoanHeader, $"A-{n},{good},CREDIT,HZ01,officer,20000,0.12,EqualPrincipal,6,2026-05-10,,"))).Imported.ShouldBe(1);
        var changedTerms = await ImportAsync(ImportKind.Loans, Csv(LoanHeader, $"A-{n},{good},CREDIT,HZ01,officer,21000,0.12,EqualPrincipal,6,2026-05-10,,"));
        changedTerms.Problems.Single().Error.Code.ShouldBe(ErrorCodes.ImportLoanDiffers);

        var payments = await ImportAsync(ImportKind.Payments, Csv(PaymentHeader,
            $"A-{n},2026-06-10,3433.33,P1-{n}",   // 2: good (a part of installment 1, 3,333.33 + 200.00)
            $"Z-{n},2026-06-10,100,P2-{n}",       // 3: no such loan
            $"A-{n},2026-05-01,100,P3-{n}",       // 4: before the disbursement
            $"A-{n},2026-06-11,900000,P4-{n}",    // 5: more than everything owed
            $"A-{n},2026-06-12,100,P1-{n}",       // 6: duplicate reference
            $"A-{n},2026-12-09,100,P5-{n}"));     // 7: in the future
        payments.Problems.Count.ShouldBe(5, Describe(payments));
        payments.Problems.Select(p => (p.Row, p.Column, p.Error.Code)).ShouldBe([
            (3, "loanNumber", ErrorCodes.ImportLoanNotFound), (4, "valueDate", ErrorCodes.ValueDateBeforeStart), (5, "amount", ErrorCodes.Overpayment),
            (6, "reference", ErrorCodes.ImportDuplicateInFile), (7, "valueDate", ErrorCodes.DateInFuture)]);
        var paid = await ImportAsync(ImportKind.Payments, Csv(PaymentHeader, $"A-{n},2026-06-10,3533.33,P1-{n}"));
        paid.Imported.ShouldBe(1);
        var other = await ImportAsync(ImportKind.Payments, Csv(PaymentHeader, $"A-{n},2026-06-10,3000,P1-{n}"));
        other.Problems.Single().Error.Code.ShouldBe(ErrorCodes.ImportPaymentDiffers);
        (await ImportAsync(ImportKind.Payments, Csv(PaymentHeader, $"A-{n},2026-06-10,3533.33,P1-{n}"))).Unchanged.ShouldBe(1);
    }

    [Fact]
    public async Task TheTemplates_HoldBothLanguages_AnExampleThatImports_AndTheColumnsExplained()
    {
        var admin = await App.SignedInClientAsync("admin");
        var response = await admin.GetAsync("/api/v1/import/templates/loans.xlsx");
        response.IsSuccessStatusCode.ShouldBeTrue();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        memory.Position = 0;
        var sheets = MiniExcelLibs.MiniExcel.GetSheetNames(memory);
        sheets.ShouldBe(["数据", "列说明"]);
        memory.Position = 0;
        var rows = MiniExcelLibs.MiniExcel.Query(memory, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.Single()["外部借据号 loanNumber"].ShouldBe("OLD-2025-000123");
        // the payments template's example pays the loans template's example loan's first installment, to the fen
        var loan = ImportLayout.Loans.ToDictionary(c => c.Key, c => c.Example);
        var first = ScheduleCalculator.Build(ImportLayout.MethodOf(loan["method"])!.Value, decimal.Parse(loan["principal"], System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(loan["annualRate"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(loan["months"], System.Globalization.CultureInfo.InvariantCulture),
            ImportLayout.DateOf(loan["disbursedOn"])!.Value).Value!.Installments[0];
        ImportLayout.Payments.Single(c => c.Key == "amount").Example.ShouldBe(first.Payment.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ImportLayout.Payments.Single(c => c.Key == "valueDate").Example.ShouldBe(first.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        (await (await App.SignedInClientAsync("officer")).GetAsync("/api/v1/import/templates/loans.xlsx")).IsSuccessStatusCode.ShouldBeFalse();
    }

    [Fact]
    public async Task TheCommandLine_ImportsAFile_AndListsItsBadRows()
    {
        var file = Path.Combine(Path.GetTempPath(), $"customers-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, Csv(CustomerHeader, $"命令行,{Id()},13500135000,,深圳市南山区,", $"坏行,{Id()},135,,深圳市南山区,"));
        var env = new Dictionary<string, string> { ["ConnectionStrings__Default"] = App.DatabaseConnection };
        var (exit, stdout, stderr) = await TestCli.RunAsync("import", ["customers", file], environment: env);
        exit.ShouldBe(1, stdout + stderr);
        stdout.ShouldContain("row 3, 手机号 mobile, \"135\"");
        stdout.ShouldContain("nothing imported");
        (exit, stdout, stderr) = await TestCli.RunAsync("import", ["customers", file, "--clean-rows-only"], environment: env);
        exit.ShouldBe(0, stdout);
        stdout.ShouldContain("imported 1, unchanged 0, bad rows 1");
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM customers WHERE \"Name\" = '命令行'")).ShouldBe(1);
        (await TestCli.RunAsync("import", ["cars", file], environment: env)).Exit.ShouldBe(2);
    }

    [Fact]
    public async Task AFileWithoutARequiredColumn_OrOfAnotherFormat_IsRefusedWhole()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ImportService>();
        var missing = await service.ImportAsync(ImportKind.Customers, "c.csv", Encoding.UTF8.GetBytes("姓名,手机号\n张三,13800138000\n"), new(), Admin);
        missing.Error!.All.Select(e => (e.Code, e.Args[0])).ShouldBe([(ErrorCodes.ImportColumnMissing, (object)"身份证号 residentId"), (ErrorCodes.ImportColumnMissing, "区域 district")]);
        (await service.ImportAsync(ImportKind.Customers, "c.pdf", [1, 2, 3], new(), Admin)).Error!.Code.ShouldBe(ErrorCodes.ImportFormat);
        (await service.ImportAsync(ImportKind.Customers, "c.xlsx", [1, 2, 3], new(), Admin)).Error!.Code.ShouldBe(ErrorCodes.ImportUnreadable);
        (await service.ImportAsync(ImportKind.Customers, "c.csv", Encoding.UTF8.GetBytes(CustomerHeader + "\n"), new(), Admin)).Error!.Code.ShouldBe(ErrorCodes.ImportEmpty);
    }

    [Fact]
    public async Task ALargeFile_OfThousandsOfLoans_AndTheirPayments_ImportsWhole()
    {
        const int count = 3_000;
        var ids = Enumerable.Range(0, count).Select(_ => Id()).ToList();
        var customers = new StringBuilder(CustomerHeader + "\n");
        var loans = new StringBuilder(LoanHeader + "\n");
        var payments = new StringBuilder(PaymentHeader + "\n");
        var schedule = ScheduleCalculator.Build(RepaymentMethod.EqualInstallment, 50_000m, 0.15m, 12, new DateOnly(2026, 1, 20)).Value!;
        for (var i = 0; i < count; i++)
        {
            customers.Append(System.Globalization.CultureInfo.InvariantCulture, $"客户{i},{ids[i]},138{i:00000000},,杭州市西湖区,\n");
            loans.Append(System.Globalization.CultureInfo.InvariantCulture, $"BIG-{i:00000},{ids[i]},CREDIT,HZ01,,50000,0.15,EqualInstallment,12,2026-01-20,,\n");
            // nine installments on their due dates; every tenth loan stops paying after the sixth
            foreach (var line in schedule.Installments.Take(i % 10 == 0 ? 6 : 10).Where(l => l.DueDate < new DateOnly(2026, 12, 1)))
                payments.Append(System.Globalization.CultureInfo.InvariantCulture, $"BIG-{i:00000},{line.DueDate:yyyy-MM-dd},{line.Payment},BIG-{i:00000}-{line.Number}\n");
        }

        (await ImportAsync(ImportKind.Customers, customers.ToString())).Imported.ShouldBe(count);
        // half the loans with their payments in one pass, the other half as a loans file and then a payments file
        var loanLines = loans.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var paymentLines = payments.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        bool FirstHalf(string line) => int.Parse(line.AsSpan(4, 5), System.Globalization.CultureInfo.InvariantCulture) < count / 2;
        var one = await ImportLoansWithPaymentsAsync(Csv([LoanHeader, .. loanLines.Skip(1).Where(FirstHalf)]), Csv([PaymentHeader, .. paymentLines.Skip(1).Where(FirstHalf)]));
        (one.Imported, one.Payments!.Imported, one.Problems.Count).ShouldBe((count / 2, count / 20 * 6 + count * 9 / 20 * 10, 0), Describe(one));
        (await ImportAsync(ImportKind.Loans, Csv([LoanHeader, .. loanLines.Skip(1).Where(l => !FirstHalf(l))]))).Imported.ShouldBe(count / 2);
        var paid = await ImportAsync(ImportKind.Payments, Csv([PaymentHeader, .. paymentLines.Skip(1).Where(l => !FirstHalf(l))]));
        (paid.Imported, paid.Problems.Count).ShouldBe((count / 20 * 6 + count * 9 / 20 * 10, 0), Describe(paid));
        // the two ways give the same book: loan i and loan i + half are alike
        (await Sql.ScalarAsync<long>("""
            SELECT count(*) FROM loans a JOIN loans b ON b."Number" = 'BIG-' || lpad((substr(a."Number", 5)::int + 1500)::text, 5, '0')
             WHERE a."Number" LIKE 'BIG-%' AND substr(a."Number", 5)::int < 1500
               AND (a."DaysPastDue", a."Class", a."Status", a."PenaltyPaid", a."RestsUntil") = (b."DaysPastDue", b."Class", b."Status", b."PenaltyPaid", b."RestsUntil")
            """)).ShouldBe(count / 2);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "Number" LIKE 'BIG-%' AND "Status" = 'Active'""")).ShouldBe(count * 9 / 10);
        // installment 7 (due 08-20) unpaid on the tenth loans: 102 days past due (grace 3) on 11-30
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "Number" LIKE 'BIG-%' AND "DaysPastDue" = 102 AND "Class" = 'Substandard'""")).ShouldBe(count / 10);
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM collection_cases c JOIN loans l ON l."Id" = c."LoanId" WHERE l."Number" LIKE 'BIG-%' AND c."Status" = 'Open'""")).ShouldBe(count / 10);
    }
}

/// <summary>The demo company's book comes in through the importer: every class, settled loans, new files; seeding twice changes nothing.</summary>
public class DemoHistoryTests(IsolatedApp app) : ServicingTestBase(app)
{
    [Fact]
    public async Task TheDemoBook_HasEighteenMonthsOfHistory_EveryClass_AndASecondSeedChangesNothing()
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var first = await DemoHistory.SeedAsync(scope.ServiceProvider, App.Clock, CancellationToken.None);
            (first.Customers, first.Loans, first.Applications, first.AlreadyThere).ShouldBe((DemoHistory.Customers, DemoHistory.Loans, DemoHistory.Applications, false));
            first.Payments.ShouldBeGreaterThan(10_000);
        }

        var classes = (await Sql.Db().Loans.AsNoTracking().Where(l => l.Number.StartsWith(DemoHistory.Prefix)).GroupBy(l => l.Class).Select(g => g.Key).ToListAsync());
        classes.ShouldBe(Enum.GetValues<LoanClass>(), ignoreOrder: true);
        await using var db = Sql.Db();
        (await db.Loans.CountAsync(l => l.Status == LoanStatus.Settled)).ShouldBeGreaterThan(100);
        (await db.Loans.Select(l => l.Method).Distinct().CountAsync()).ShouldBe(4, "every method the two products offer");
        (await db.Loans.MinAsync(l => l.DisbursedOn)).ShouldBeLessThan(new DateOnly(2025, 7, 1));
        (await db.Loans.Where(l => l.Number.StartsWith(DemoHistory.Prefix)).AllAsync(l => l.ClosedThrough == new DateOnly(2026, 11, 30)))
            .ShouldBeTrue("the book is closed through yesterday");
        var stages = await db.Applications.Where(a => a.Channel == "WEB").GroupBy(a => a.State).Select(g => g.Key).ToListAsync();
        stages.ShouldBe([LoanOffice.Domain.Applications.ApplicationState.Pool, LoanOffice.Domain.Applications.ApplicationState.Assigned,
            LoanOffice.Domain.Applications.ApplicationState.Collecting, LoanOffice.Domain.Applications.ApplicationState.Submitted,
            LoanOffice.Domain.Applications.ApplicationState.PreliminaryReview, LoanOffice.Domain.Applications.ApplicationState.Approval,
            LoanOffice.Domain.Applications.ApplicationState.FinalReview, LoanOffice.Domain.Applications.ApplicationState.Approved,
            LoanOffice.Domain.Applications.ApplicationState.Contracted, LoanOffice.Domain.Applications.ApplicationState.Disbursed,
            LoanOffice.Domain.Applications.ApplicationState.Withdrawn,
            LoanOffice.Domain.Applications.ApplicationState.Rejected], ignoreOrder: true);
        (await db.CollectionActions.CountAsync(a => a.Kind == LoanOffice.Domain.Loans.CollectionActionKind.PromiseToPay)).ShouldBeGreaterThan(20);
        (await db.CollectionActions.AllAsync(a => a.At < App.Clock.GetUtcNow())).ShouldBeTrue("the officers worked the cases before today");
        // past review: online votes with disputes (one settled by the chief), committee meetings with decisions and an agenda
        var outcomes = await db.ApprovalDecisions.Select(d => new { d.Outcome, Settled = d.SettledBy != null }).ToListAsync();
        outcomes.ShouldContain(d => d.Outcome != "Decided" && !d.Settled, "a dispute waits for the chief");
        outcomes.ShouldContain(d => d.Outcome != "Decided" && d.Settled, "a dispute settled by the chief");
        (await db.ApprovalVotes.CountAsync(v => !v.Approve)).ShouldBeGreaterThan(0);
        (await db.CommitteeMeetings.CountAsync()).ShouldBe(2, "today's sitting and next week's");
        var items = await db.CommitteeAgendaItems.Select(i => i.Approved).ToListAsync();
        items.ShouldContain(true);
        items.ShouldContain(false);
        items.ShouldContain((bool?)null, "files on next week's agenda");
        (await db.Applications.Where(a => a.State == LoanOffice.Domain.Applications.ApplicationState.Disbursed).CountAsync()).ShouldBeGreaterThan(0);
        // today's servicing: prepayments both ways, two extensions approved
        var prepaid = await db.LoanTransactions.Where(t => t.Kind == LoanOffice.Data.Servicing.TransactionKind.Prepayment).Select(t => t.PrepaymentOption).ToListAsync();
        prepaid.ShouldContain(LoanOffice.Domain.Loans.PrepaymentOption.ShortenTerm);
        prepaid.ShouldContain(LoanOffice.Domain.Loans.PrepaymentOption.LowerInstallment);
        (await db.LoanScheduleVersions.CountAsync()).ShouldBeGreaterThanOrEqualTo(prepaid.Count + 2, "each prepayment and extension keeps the schedule it replaced");
        (await db.LoanExtensions.CountAsync(e => e.Status == LoanOffice.Data.Servicing.ExtensionStatus.Approved)).ShouldBe(2);
        // every loan's stored position (what the cockpit and the snapshot read) is its installments' after every path the
        // demo took: import, payments, reversals, prepayments both ways, extensions, disbursements here, the close
        (await Sql.ScalarAsync<long>("""
            SELECT count(*) FROM loans l
              LEFT JOIN LATERAL (SELECT coalesce(sum(i."Principal" - i."PrincipalPaid"), 0) AS p,
                                        coalesce(sum(i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid")
                                            FILTER (WHERE i."DueDate" + l."GraceDays" < l."ClosedThrough"), 0) AS o
                                   FROM loan_installments i WHERE i."LoanId" = l."Id") x ON true
             WHERE (l."PrincipalOutstanding", l."OverdueAmount") IS DISTINCT FROM (x.p, x.o)
            """)).ShouldBe(0L, "stored positions equal the installments");
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans l JOIN applications a ON a."Id" = l."ApplicationId" WHERE l."ProductCode" <> a."ProductCode" """)).ShouldBe(0L);
        (await Sql.LiveCellsDifferAsync()).ShouldBe(0L, "today's cells kept by the triggers equal the loans added up");
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans l WHERE l."Extended" <> EXISTS (SELECT 1 FROM loan_extensions e WHERE e."LoanId" = l."Id" AND e."Status" = 'Approved')"""))
            .ShouldBe(0L, "a loan is extended exactly when an extension was approved");
        // month-end snapshots of the history, by the domain's replay: 31 October holds exactly the loans out that night,
        // and the replay of yesterday agrees with the snapshot the close wrote, cell by cell
        var october = new DateOnly(2026, 10, 31);
        (await Sql.ScalarAsync<long>("SELECT count(DISTINCT business_date) FROM portfolio_snapshots")).ShouldBeGreaterThanOrEqualTo(18L);
        (await Sql.ScalarAsync<long>("SELECT coalesce(sum(loans), 0) FROM portfolio_snapshots WHERE business_date = @d", ("d", october)))
            .ShouldBe(await Sql.ScalarAsync<long>("""
                SELECT count(*) FROM loans WHERE "Number" LIKE 'DEMO-%' AND "DisbursedOn" <= @d AND ("SettledOn" IS NULL OR "SettledOn" > @d)
                """, ("d", october)));
        // after an import the month-ends come back by the ops verb: the same cells
        var octoberCells = await Sql.ScalarAsync<decimal>("SELECT sum(principal_outstanding) FROM portfolio_snapshots WHERE business_date = @d", ("d", october));
        await Sql.ExecAsync("DELETE FROM portfolio_snapshots WHERE business_date = @d", ("d", october));
        var (exit, stdout, stderr) = await TestCli.RunAsync("snapshots", ["backfill"],
            environment: new Dictionary<string, string> { ["ConnectionStrings__Default"] = App.DatabaseConnection });
        exit.ShouldBe(0, stdout + stderr);
        stdout.ShouldContain("2026-10-31");
        (await Sql.ScalarAsync<decimal>("SELECT sum(principal_outstanding) FROM portfolio_snapshots WHERE business_date = @d", ("d", october))).ShouldBe(octoberCells);
        (await TestCli.RunAsync("snapshots", [], environment: new Dictionary<string, string> { ["ConnectionStrings__Default"] = App.DatabaseConnection })).Exit.ShouldBe(2);
        // the loans at risk behind every month-end (the replay's) and behind the close's own nights add up to the cells
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM portfolio_loan_states WHERE valid_from = @d", ("d", october))).ShouldBeGreaterThan(0L);
        (await Sql.LoanStatesDifferAsync()).ShouldBe(0L, "each snapshot date's per-loan rows add up to its at-risk cells");

        var yesterday = new DateOnly(2026, 11, 30);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var replayed = (await scope.ServiceProvider.GetRequiredService<LoanOffice.Web.Features.Cockpit.SnapshotBackfill>().CellsAsync([yesterday]))
                .Select(c => c.Cell).Where(c => !c.Extended).ToList();
            await using var conn = await Sql.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("""
                SELECT class, bucket, sum(loans)::int, sum(principal_outstanding), sum(overdue) FROM portfolio_snapshots
                 WHERE business_date = @d GROUP BY 1, 2 ORDER BY 1, 2
                """, conn);
            cmd.Parameters.AddWithValue("d", yesterday);
            var closed = new List<(string, int, int, decimal, decimal)>();
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync()) closed.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetDecimal(3), reader.GetDecimal(4)));
            replayed.GroupBy(c => (c.Class.ToString(), c.Bucket)).OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Bucket)
                .Select(g => (g.Key.Item1, g.Key.Bucket, g.Sum(c => c.Loans), g.Sum(c => c.PrincipalOutstanding), g.Sum(c => c.Overdue)))
                .ShouldBe(closed.OrderBy(c => c.Item1, StringComparer.Ordinal).ThenBy(c => c.Item2));
        }

        // the officers' day in the field: tracks yesterday and this morning, visits verified, officer.sz silent for 40 minutes
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var field = await LoanOffice.Web.Features.Field.DemoField.SeedAsync(scope.ServiceProvider, App.Clock, CancellationToken.None);
            (field.Officers, field.AlreadyThere).ShouldBe((3, false));
            field.Visits.ShouldBeGreaterThanOrEqualTo(3);
        }

        (await Sql.ScalarAsync<long>("""
            SELECT count(*) FROM field_pings p JOIN "AspNetUsers" u ON u."Id" = p.officer_id
             WHERE u."UserName" = 'officer' AND p.recorded_at >= '2026-12-01T00:45:00Z'
            """)).ShouldBeInRange(390L, 400L, "08:45 to about 12:00 China time (the fake clock creeps on), a point every 30 s");
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM field_visits WHERE NOT "Verified" """)).ShouldBe(0L, "the demo's visits were where the track was");
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM field_sessions WHERE "SignedOutAt" IS NULL""")).ShouldBe(3L, "everybody signed in this morning");
        var track = await TestApplications.As(App.Services, "lead", s => s.Get<LoanOffice.Web.Features.Field.FieldTracks>().DayAsync(
            Sql.Db().Users.Single(u => u.UserName == "officer").Id, new DateOnly(2026, 11, 30)));
        track.Value!.Stops.Count.ShouldBeGreaterThanOrEqualTo(3, "the office and the customers");
        track.Value.DistanceMetres.ShouldBeGreaterThan(1_000);
        track.Value.Marks.Select(m => m.SignIn).ShouldBe([true, false]);
        var alerts = await TestApplications.As(App.Services, "admin", s => s.Get<LoanOffice.Web.Features.Field.OfflineAlerts>().RunAsync());
        alerts.Silent.ShouldBe(1, "officer.sz went quiet forty minutes ago");
        (await Sql.ScalarAsync<string>("""
            SELECT u."UserName" FROM notifications n JOIN "AspNetUsers" u ON u."Id" = n."UserId" WHERE n."Kind" = 'FieldOffline'
            """)).ShouldBe("officer.sz");
        await using (var scope = App.Services.CreateAsyncScope())
            (await LoanOffice.Web.Features.Field.DemoField.SeedAsync(scope.ServiceProvider, App.Clock, CancellationToken.None)).AlreadyThere.ShouldBeTrue();

        var audit = await Sql.ScalarAsync<long>("SELECT count(*) FROM audit_log");

        await using (var scope = App.Services.CreateAsyncScope())
            (await DemoHistory.SeedAsync(scope.ServiceProvider, App.Clock, CancellationToken.None)).AlreadyThere.ShouldBeTrue();
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM audit_log")).ShouldBe(audit);
    }
}
