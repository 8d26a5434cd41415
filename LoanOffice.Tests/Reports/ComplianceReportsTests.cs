using System.Globalization;
using System.Net;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Reports;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Reports;

/// <summary>Compliance reports reconciled with independent SQL over the same loans, and their exports.</summary>
public class ComplianceReportsTests(IsolatedApp app) : ServicingTestBase(app)
{
    private static readonly DateOnly Disbursed = new(2025, 3, 8);
    private Task<LoanOffice.Domain.Common.Result<ReportTable>> RunAsync(ComplianceReport report, ReportFilter filter, string user = "compliance") =>
        TestApplications.As(App.Services, user, s => s.Get<ComplianceReports>().RunAsync(report, filter));

    [Fact]
    public async Task EveryTotal_ReconcilesWithTheRecords_AndTheExportsHoldTheSameRowsAndTotals()
    {
        var paid = await TestLoans.CreateAsync(App.Services, Disbursed);
        var unpaid = await TestLoans.CreateAsync(App.Services, Disbursed);
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2025, 4, 7), "test")).IsSuccess.ShouldBeTrue();
        await using (var db = Sql.Db())
        {
            var loan = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == paid);
            var posted = await TestApplications.As(App.Services, "finance", s => s.Get<LoanServicing>().PostRepaymentAsync(
                paid, new DateOnly(2025, 4, 8), 1_100.16m, "BankTransfer", "RC-" + Guid.NewGuid().ToString("N")[..10], loan.Version));
            posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        }

        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2025, 5, 12), "test")).IsSuccess.ShouldBeTrue();
        var team = (await Sql.ScalarAsync<Guid>("""SELECT "TeamId" FROM loans WHERE "Id" = @id""", ("id", paid)));

        // 放款日报: the period's loans of the team, the amount summed
        var disbursement = (await RunAsync(ComplianceReport.DailyDisbursement, new ReportFilter(Disbursed, Disbursed, team))).Value!;
        var expectedAmount = await Sql.ScalarAsync<decimal>("""
            SELECT coalesce(sum("Principal"), 0) FROM loans WHERE "DisbursedOn" = @d AND "TeamId" = @t
            """, ("d", Disbursed), ("t", team));
        var expectedCount = await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "DisbursedOn" = @d AND "TeamId" = @t""", ("d", Disbursed), ("t", team));
        disbursement.Rows.Count.ShouldBe((int)expectedCount);
        disbursement.Totals[4].ShouldBe(expectedAmount);
        var ours = await Sql.ScalarAsync<string>("""SELECT "Number" FROM loans WHERE "Id" = @id""", ("id", paid));
        disbursement.Rows.ShouldContain(r => r.Contains(ours), "the test's own loan is in the day's report");

        // 回收日报: every non-reversed payment of the period, split by allocation component
        var filter = new ReportFilter(new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30), null);
        var collection = (await RunAsync(ComplianceReport.DailyCollection, filter)).Value!;
        var sql = await Sql.ScalarAsync<decimal>("""
            SELECT coalesce(sum(t."Amount"), 0) FROM loan_transactions t JOIN loans l ON l."Id" = t."LoanId"
             WHERE t."ReversedAt" IS NULL AND t."ValueDate" BETWEEN @f AND @to
            """, ("f", filter.From), ("to", filter.To));
        collection.Totals[5].ShouldBe(sql);
        var principal = await Sql.ScalarAsync<decimal>("""
            SELECT coalesce(sum((e->>'amount')::numeric), 0) FROM loan_transactions t JOIN loans l ON l."Id" = t."LoanId",
                   jsonb_array_elements(t."Allocation") e
             WHERE t."ReversedAt" IS NULL AND t."ValueDate" BETWEEN @f AND @to
               AND e->>'component' IN ('OverduePrincipal', 'CurrentPrincipal')
            """, ("f", filter.From), ("to", filter.To));
        collection.Totals[6].ShouldBe(principal);
        ((decimal)collection.Totals[6]! + (decimal)collection.Totals[7]! + (decimal)collection.Totals[8]! + (decimal)collection.Totals[9]!).ShouldBe((decimal)collection.Totals[5]!, "components add up to what was paid");

        // 五级分类 and ageing: counts and balances against GROUP BY over the active loans
        var classes = (await RunAsync(ComplianceReport.Classification, filter)).Value!;
        var classCount = await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "Status" IN ('Active', 'Overdue')""");
        var outstanding = await Sql.ScalarAsync<decimal>("""
            SELECT coalesce(sum(i."Principal" - i."PrincipalPaid"), 0) FROM loan_installments i JOIN loans l ON l."Id" = i."LoanId" WHERE l."Status" IN ('Active', 'Overdue')
            """);
        ((int)classes.Totals[2]!).ShouldBe((int)classCount);
        classes.Totals[3].ShouldBe(outstanding);
        classes.Rows.Sum(r => (int)r[2]!).ShouldBe((int)classCount);

        var ageing = (await RunAsync(ComplianceReport.Ageing, filter)).Value!;
        var overdueLoans = await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "Status" IN ('Active', 'Overdue') AND "DaysPastDue" > 0""");
        ((int)ageing.Totals[1]!).ShouldBe((int)overdueLoans);
        ageing.Rows.Sum(r => (int)r[1]!).ShouldBe((int)overdueLoans, "every overdue loan falls in exactly one bucket");
        var unpaidDpd = await Sql.ScalarAsync<int>("""SELECT "DaysPastDue" FROM loans WHERE "Id" = @id""", ("id", unpaid));
        unpaidDpd.ShouldBe(34);
        ((int)ageing.Rows.Single(r => (string)r[0]! == "31–60")[1]!).ShouldBeGreaterThanOrEqualTo(1);

        // 到期贷款明细: loans whose last installment falls in the period
        var maturing = (await RunAsync(ComplianceReport.MaturingLoans, new ReportFilter(new DateOnly(2026, 3, 8), new DateOnly(2026, 3, 8), team))).Value!;
        var maturingSql = await Sql.ScalarAsync<long>("""
            SELECT count(*) FROM loans l WHERE l."Status" IN ('Active', 'Overdue') AND l."TeamId" = @t
               AND (SELECT max(i."DueDate") FROM loan_installments i WHERE i."LoanId" = l."Id") = DATE '2026-03-08'
            """, ("t", team));
        ((int)maturing.Totals[1]!).ShouldBe((int)maturingSql);
        maturing.Rows.Select(r => (string)r[1]!).ShouldContain(await Sql.ScalarAsync<string>("""SELECT "Number" FROM loans WHERE "Id" = @id""", ("id", unpaid)));

        // officers: the book splits exactly over them; collected in April equals the payments of April
        var officers = (await RunAsync(ComplianceReport.OfficerPerformance, filter)).Value!;
        officers.Totals[4].ShouldBe(outstanding);
        officers.Totals[8].ShouldBe(sql);

        // customers with active loans: their balances add up to the book
        var customers = (await RunAsync(ComplianceReport.CustomerList, filter)).Value!;
        customers.Totals[6].ShouldBe(outstanding);
        ((int)customers.Totals[5]!).ShouldBe((int)classCount);

        // profit: interest falling due in April, penalty and compound accrued in April, against what April's payments paid
        var profit = (await RunAsync(ComplianceReport.ProfitEstimate, filter)).Value!;
        profit.Rows[0][1].ShouldBe(await Sql.ScalarAsync<decimal>("""
            SELECT coalesce(sum(i."Interest"), 0) FROM loan_installments i JOIN loans l ON l."Id" = i."LoanId"
             WHERE i."DueDate" BETWEEN @f AND @to
            """, ("f", filter.From), ("to", filter.To)));
        profit.Rows[1][1].ShouldBe(await Sql.ScalarAsync<decimal>("""
            SELECT round(coalesce(sum(a."Amount"), 0), 2) FROM loan_accruals a JOIN loans l ON l."Id" = a."LoanId"
             WHERE a."Kind" = 'Penalty' AND a."BusinessDate" BETWEEN @f AND @to
            """, ("f", filter.From), ("to", filter.To)));
        ((decimal)profit.Totals[2]!).ShouldBe((decimal)collection.Totals[7]! + (decimal)collection.Totals[8]! + (decimal)collection.Totals[9]!, "received income = interest + penalty + compound collected");

        // the exports: the same rows and totals as the page
        var client = await App.SignedInClientAsync("compliance");
        var csv = await client.GetStringAsync($"/api/v1/reports/DailyDisbursement.csv?from=2025-03-08&to=2025-03-08&team={team}");
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines.Count.ShouldBe(1 + disbursement.Rows.Count + 1);
        lines[^1].Split(',')[4].ShouldBe(expectedAmount.ToString("0.00", CultureInfo.InvariantCulture));
        lines[^1].Split(',')[0].ShouldBe("合计", "the totals row says what it is");
        var xlsx = await client.GetAsync("/api/v1/reports/Ageing.xlsx?from=2025-04-01&to=2025-04-30");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var sheet = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        sheet.Count.ShouldBe(ageing.Rows.Count + 1);
        Convert.ToInt32(sheet[^1].Values.ElementAt(1), CultureInfo.InvariantCulture).ShouldBe((int)overdueLoans);
        sheet[^1].Values.ElementAt(0).ShouldBe("合计");
        var officersSheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await (await client.GetAsync("/api/v1/reports/OfficerPerformance.xlsx?from=2025-04-01&to=2025-04-30")).Content.ReadAsByteArrayAsync()),
            useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        officersSheet[^1].Values.ElementAt(7).ShouldBeOfType<double>("the overdue ratio stays a number in Excel");
        var unknown = await client.GetAsync("/api/v1/reports/Nothing.csv?from=2025-04-01&to=2025-04-30");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Report.NotFound");

        (await RunAsync(ComplianceReport.Ageing, filter, user: "officer")).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ReportComplianceOnly);
        (await RunAsync(ComplianceReport.DailyCollection, new ReportFilter(filter.To, filter.From, null))).Error!.Field.ShouldBe("to");
        (await (await App.SignedInClientAsync("officer")).GetAsync("/api/v1/reports/Ageing.csv?from=2025-04-01&to=2025-04-30")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ARegionalDirector_RunsTheReports_ForTheirRegionOnly()
    {
        var east = await TestLoans.CreateAsync(App.Services, Disbursed);
        var south = await TestLoans.CreateAsync(App.Services, Disbursed);
        await Sql.ExecAsync("""UPDATE loans SET "TeamId" = (SELECT "Id" FROM teams WHERE "Code" = 'SZ01') WHERE "Id" = @id""", ("id", south));
        var number = async (Guid id) => await Sql.ScalarAsync<string>("""SELECT "Number" FROM loans WHERE "Id" = @id""", ("id", id));
        async Task<List<string>> Disbursements(string user) =>
            (await RunAsync(ComplianceReport.DailyDisbursement, new ReportFilter(Disbursed, Disbursed, null), user)).Value!.Rows.Select(r => (string)r[1]!).ToList();

        // 刘海 directs 华东区 (上海一队, 杭州团队): the Hangzhou loan, not the Shenzhen one; compliance sees both
        (await Disbursements("director")).ShouldBe([await number(east)]);
        (await Disbursements("compliance")).ShouldBe(new[] { await number(east), await number(south) }, ignoreOrder: true);
        (await (await App.SignedInClientAsync("director")).GetAsync($"/api/v1/reports/DailyDisbursement.csv?from={Disbursed:yyyy-MM-dd}&to={Disbursed:yyyy-MM-dd}"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
