using System.Net;
using System.Net.Http.Json;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Portfolio;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Cockpit;
using LoanOffice.Web.Features.Servicing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using static LoanOffice.Tests.Support.TestApplications;

namespace LoanOffice.Tests.Cockpit;

/// <summary>
/// The managers' cockpit on a small book closed through yesterday (2026-11-30): loans current, 10, 46, 90 and 214 days
/// past due in 杭州团队 and one in 上海一队, every figure checked against SQL written here over the loans and their
/// installments (not the view the dashboard reads), in the GM's and a team lead's scope, through the drill-down
/// links and the API.
/// </summary>
public class CockpitTests(IsolatedApp app) : CockpitTestBase(app)
{
    [Fact]
    public async Task TheSqlBucket_AgreesWithTheDomain()
    {
        var sql = await Sql.ScalarAsync<int[]>("SELECT array_agg(lo_dpd_bucket(d) ORDER BY d) FROM generate_series(0, 400) d");
        sql.ShouldBe(Enumerable.Range(0, 401).Select(PortfolioQuality.Bucket).ToArray());
    }

    [Fact]
    public async Task TheFigures_AgreeWithSqlByHand_InTheGmsAndATeamLeadsScope_AndTheDrillDownsFindTheSameLoans()
    {
        await BookAsync();
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "DaysPastDue" IN (10, 46, 90, 214)""")).ShouldBe(4L, "the book as planned");

        var gm = (await DashboardAsync("gm")).Value!;
        gm.AsOf.ShouldBe(Yesterday);
        var e = await ExpectedAsync();
        var t = gm.Total;
        (t.Loans, t.PrincipalOutstanding, t.Overdue).ShouldBe((e.Loans, e.Gross, e.Overdue));
        (t.Par[1].Numerator, t.Par[30].Numerator, t.Par[60].Numerator, t.Par[90].Numerator).ShouldBe((e.Par1, e.Par30, e.Par60, e.Par90));
        t.Par[30].Value.ShouldBe(e.Par30 / e.Gross);
        t.ArrearsRate.Value.ShouldBe(e.Overdue / e.Gross);
        t.NplRatio.Numerator.ShouldBe(e.Npl);
        e.Npl.ShouldBeGreaterThan(0m, "the loan 214 days past due is 次级");
        e.Par30.ShouldBeGreaterThan(t.Overdue, "PAR counts whole balances, not the overdue amount");
        t.Classes.Sum(c => c.Value.Principal).ShouldBe(e.Gross);
        gm.Level.ShouldBe(BreakdownLevel.Region);
        gm.Breakdown.Sum(b => b.Figures.PrincipalOutstanding).ShouldBe(e.Gross);
        gm.ByProduct.Sum(b => b.Figures.Loans).ShouldBe(e.Loans);

        // the team lead of 杭州团队: the team's figures, by officer
        var lead = (await DashboardAsync("lead")).Value!;
        var hz = await ExpectedAsync("HZ01");
        (lead.Total.Loans, lead.Total.PrincipalOutstanding, lead.Total.Par[30].Numerator, lead.Total.NplRatio.Numerator).ShouldBe((hz.Loans, hz.Gross, hz.Par30, hz.Npl));
        hz.Loans.ShouldBe(e.Loans - 1);
        lead.Level.ShouldBe(BreakdownLevel.Officer);
        lead.Breakdown.ShouldHaveSingleItem().Name.ShouldBe("孙伟");
        var sh = await Sql.ScalarAsync<Guid>("""SELECT "Id" FROM teams WHERE "Code" = 'SH01'""");
        (await DashboardAsync("lead", new CockpitFilter(TeamId: sh))).Error!.Code.ShouldBe(ErrorCodes.Forbidden, "another team's figures");

        // every drill-down link reads back into the loans list's filter and finds exactly the figure's loans
        foreach (var (user, dashboard) in new[] { ("gm", gm), ("lead", lead) })
        {
            async Task<LoanTotals> Behind(string link) => await As(App.Services, user, s => s.Get<LoanQueries>().TotalsAsync(ParseLink(link)));
            (await Behind(CockpitLinks.Loans(dashboard.Filter))).ShouldBe(new LoanTotals(dashboard.Total.Loans, dashboard.Total.PrincipalOutstanding));
            foreach (var n in PortfolioQuality.ParDays)
                (await Behind(CockpitLinks.Loans(dashboard.Filter, dpdFrom: CockpitLinks.DpdFromForPar(n)))).PrincipalOutstanding.ShouldBe(dashboard.Total.Par[n].Numerator, $"PAR{n} as {user}");
            (await Behind(CockpitLinks.Loans(dashboard.Filter, classes: [LoanClass.Substandard, LoanClass.Doubtful, LoanClass.Loss]))).PrincipalOutstanding
                .ShouldBe(dashboard.Total.NplRatio.Numerator);
        }

        // vintages and the classes' migration since 31 October, by hand from the book's dates (nothing paid)
        gm.Vintages.Select(v => (v.Month, v.Loans, v.Disbursed, v.Outstanding, v.AtRisk30)).ShouldBe([
            (new DateOnly(2026, 4, 1), 1, 80_000m, 80_000m, 80_000m), (new DateOnly(2026, 8, 1), 1, 20_000m, 20_000m, 20_000m),
            (new DateOnly(2026, 9, 1), 2, 90_000m, 90_000m, 90_000m), (new DateOnly(2026, 10, 1), 1, 30_000m, 30_000m, 0m),
            (new DateOnly(2026, 11, 1), 1, 12_000m, 12_000m, 0m)]);
        gm.Migration.OrderBy(m => m.From).ThenBy(m => m.To).Select(m => (m.From, m.To, m.Loans, m.PrincipalNow)).ShouldBe([
            ((LoanClass?)null, (LoanClass?)LoanClass.Normal, 1, 12_000m), (LoanClass.Normal, LoanClass.SpecialMention, 1, 30_000m),
            (LoanClass.SpecialMention, LoanClass.SpecialMention, 3, 110_000m), (LoanClass.Substandard, LoanClass.Substandard, 1, 80_000m)]);
        lead.Migration.Sum(m => m.Loans).ShouldBe(5, "the team's loans only");
        // the officer league: 孙伟 holds every loan of 杭州团队; the close opened a case for each loan overdue
        var sun = lead.Officers.ShouldHaveSingleItem();
        (sun.Name, sun.DisbursedThisMonth, sun.OpenLoans, sun.Outstanding, sun.AtRisk30, sun.OpenTasks).ShouldBe(("孙伟", 12_000m, hz.Loans, hz.Gross, hz.Par30, 0));
        sun.OpenCases.ShouldBe((int)await Sql.ScalarAsync<long>("""
            SELECT count(*) FROM collection_cases c JOIN "AspNetUsers" u ON u."Id" = c."OfficerId" WHERE u."UserName" = 'officer' AND c."Status" = 'Open'
            """));
        sun.OpenCases.ShouldBe(4, "the loans 10, 46, 90 and 214 days past due");
        gm.Officers.Select(o => o.Name).ShouldBe(["孙伟", "朱琳", "高翔"], ignoreOrder: true);

        var region = gm.Breakdown.First(b => b.Figures.Loans > 0);
        (await As(App.Services, "gm", s => s.Get<LoanQueries>().TotalsAsync(ParseLink(CockpitLinks.Loans(gm.Filter, regionId: region.Id)))))
            .PrincipalOutstanding.ShouldBe(region.Figures.PrincipalOutstanding);
    }

    [Fact]
    public async Task ExtendedLoans_CanBeLeftOut_AndADateWithoutASnapshotIsRefused()
    {
        var loans = await BookAsync();
        await Sql.ExecAsync("""
            INSERT INTO loan_extensions ("Id", "LoanId", "NewMaturity", "Reason", "Status", "RequestedBy", "RequestedByName", "RequestedAt")
            SELECT gen_random_uuid(), @loan, '2028-01-01', 'test', 'Approved', "Id", 'test', now() FROM "AspNetUsers" WHERE "UserName" = 'officer';
            UPDATE loans SET "Extended" = true WHERE "Id" = @loan; -- as approving it does (LoanRiskService)
            """, ("loan", loans["dpd46"]));
        (await Sql.LiveCellsDifferAsync()).ShouldBe(0L);
        var with = (await DashboardAsync("gm")).Value!.Total;
        var without = (await DashboardAsync("gm", new CockpitFilter(IncludeExtended: false))).Value!.Total;
        var extended = await Sql.ScalarAsync<decimal>("""SELECT sum("Principal" - "PrincipalPaid") FROM loan_installments WHERE "LoanId" = @id""", ("id", loans["dpd46"]));
        (without.Loans, without.PrincipalOutstanding, without.Par[30].Numerator).ShouldBe((with.Loans - 1, with.PrincipalOutstanding - extended, with.Par[30].Numerator - extended));
        var link = CockpitLinks.Loans(new CockpitFilter(IncludeExtended: false));
        (await As(App.Services, "gm", s => s.Get<LoanQueries>().TotalsAsync(ParseLink(link)))).PrincipalOutstanding.ShouldBe(without.PrincipalOutstanding);

        foreach (var day in new[] { new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 5) })
        {
            var refused = await DashboardAsync("gm", asOf: day);
            (refused.Error!.Code, refused.Error.Field).ShouldBe((ErrorCodes.DashboardAsOfUnavailable, "asOf"), $"no snapshot of {day}");
        }
    }

    [Fact]
    public async Task Lending_ForTheMonthOrAChosenPeriod_AgreesWithSqlByHand_AndAPeriodAfterTheDateIsRefused()
    {
        await BookAsync();
        async Task<(int, decimal)> Lent(DateOnly from, DateOnly to) => (
            (int)await Sql.ScalarAsync<long>("""SELECT count(*) FROM loans WHERE "DisbursedOn" BETWEEN @f AND @t""", ("f", from), ("t", to)),
            await Sql.ScalarAsync<decimal>("""SELECT coalesce(sum("Principal"), 0) FROM loans WHERE "DisbursedOn" BETWEEN @f AND @t""", ("f", from), ("t", to)));

        // the month to date, against the whole of October and November 2025
        var month = (await DashboardAsync("gm")).Value!;
        (month.Flows.ThisMonth.From, month.Flows.ThisMonth.To, month.Flows.LastMonth.From, month.Flows.LastMonth.To)
            .ShouldBe((new DateOnly(2026, 11, 1), Yesterday, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)));
        (month.Flows.ThisMonth.LoansDisbursed, month.Flows.ThisMonth.Disbursed).ShouldBe(await Lent(new(2026, 11, 1), Yesterday));
        (month.Flows.LastMonth.LoansDisbursed, month.Flows.LastMonth.Disbursed).ShouldBe(await Lent(new(2026, 10, 1), new(2026, 10, 31)));
        month.Flows.LastMonth.LoansDisbursed.ShouldBe(1, "the loan of 20 October");

        // from 1 September: 91 days, against the 91 days before and the same dates a year earlier
        var period = (await DashboardAsync("gm", new CockpitFilter { PeriodFrom = new DateOnly(2026, 9, 1) })).Value!;
        var f = period.Flows;
        (f.ThisMonth.From, f.ThisMonth.To, f.LastMonth.From, f.LastMonth.To, f.SameMonthLastYear.From, f.SameMonthLastYear.To).ShouldBe((
            new DateOnly(2026, 9, 1), Yesterday, new DateOnly(2026, 6, 2), new DateOnly(2026, 8, 31), new DateOnly(2025, 9, 1), new DateOnly(2025, 11, 30)));
        (f.ThisMonth.LoansDisbursed, f.ThisMonth.Disbursed).ShouldBe(await Lent(new(2026, 9, 1), Yesterday));
        f.ThisMonth.LoansDisbursed.ShouldBe(4, "15 September twice, 20 October, 20 November");
        (f.LastMonth.LoansDisbursed, f.LastMonth.Disbursed).ShouldBe((1, 20_000m), "the loan of 1 August");
        period.Collections!.ThisMonth.From.ShouldBe(new DateOnly(2026, 9, 1));
        period.Collections.LastMonth.To.ShouldBe(new DateOnly(2026, 8, 31));
        // the same period through the API
        using var client = await App.SignedInClientAsync("gm");
        var api = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/dashboard?from=2026-09-01");
        api.GetProperty("thisMonth").GetProperty("disbursed").GetDecimal().ShouldBe(f.ThisMonth.Disbursed);

        var refused = await DashboardAsync("gm", new CockpitFilter { PeriodFrom = new DateOnly(2026, 12, 1) });
        (refused.Error!.Code, refused.Error.Field).ShouldBe((ErrorCodes.DashboardPeriodInvalid, "from"));
        var problem = await client.GetAsync("/api/v1/dashboard?from=2026-12-01");
        problem.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await problem.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.DashboardPeriodInvalid);
    }

    [Fact]
    public async Task TheApi_ServesTheSameFigures_InTheCallersScope()
    {
        await BookAsync();
        var hz = await ExpectedAsync("HZ01");
        var client = await App.SignedInClientAsync("lead");
        var answer = await client.GetFromJsonAsync<ApiDashboard>("/api/v1/dashboard");
        (answer!.AsOf, answer.BreakdownBy, answer.Total.Loans, answer.Total.PrincipalOutstanding).ShouldBe((Yesterday, "Officer", hz.Loans, hz.Gross));
        answer.Total.Par30.Numerator.ShouldBe(hz.Par30);
        answer.Total.Par30.Value.ShouldBe(decimal.Round(hz.Par30 / hz.Gross, 6, MidpointRounding.AwayFromZero));
        answer.Total.Par30.Formula.ShouldContain("more than 30 days past due");
        answer.Total.Classes.Sum(c => c.PrincipalOutstanding).ShouldBe(hz.Gross);
        answer.Pipeline.Stages.Select(s => s.Stage).ShouldBe(PipelineDashboard.OpenStages.Select(s => s.ToString()));
        answer.Pipeline.Received.ShouldBe((int)await Sql.ScalarAsync<long>("""
            SELECT count(*) FROM applications a JOIN teams t ON t."Id" = a."TeamId" WHERE t."Code" = 'HZ01' AND a."Channel" <> 'IMPORT'
               AND a."ReceivedAt" >= '2026-11-30T16:00:00Z'
            """), "this month's files of the team (the test book's intakes)");

        var wrongDay = await client.GetAsync("/api/v1/dashboard?asOf=2025-01-01");
        wrongDay.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrongDay.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.DashboardAsOfUnavailable);
        (await (await App.SignedInClientAsync("officer")).GetAsync("/api/v1/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // the figures' Excel file: each ratio with its parts and its definition
        var figures = await client.GetAsync("/api/v1/dashboard.xlsx");
        figures.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sheet = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await figures.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var par30 = sheet.Single(r => (string)r["指标"] == "PAR30");
        Convert.ToDecimal(par30["分子"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(hz.Par30);
        Convert.ToDecimal(par30["分母"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(hz.Gross);
        ((string)par30["定义"]).ShouldContain("逾期超过 30 天");
        (await client.GetAsync("/api/v1/dashboard.xlsx?asOf=2025-01-01")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // the drill-down's Excel file: the loans and a totals row with the figure
        var xlsx = await client.GetAsync("/api/v1/loans/export.xlsx" + CockpitLinks.Loans(new CockpitFilter(), dpdFrom: 31)["/loans".Length..]);
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        rows.Count.ShouldBe(4, "three loans of 杭州团队 more than 30 days past due, and the totals row");
        Convert.ToDecimal(rows[^1]["剩余本金"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(hz.Par30);
    }
}

/// <summary>Past dates from the nightly snapshots (a class of its own: it moves its clock a day on).</summary>
public class CockpitSnapshotTests(IsolatedApp app) : CockpitTestBase(app)
{
    /// <summary>
    /// The close keeps every night's cells: 31 October read back from its snapshot is the book of that night by hand —
    /// the loan disbursed 20 November not yet there, the others 0, 16, 16, 60 and 154 days past due, nothing paid; and
    /// yesterday's snapshot, read the next day, equals what the live tables showed yesterday.
    /// </summary>
    [Fact]
    public async Task APastDate_ComesFromThatNightsSnapshot_AndYesterdaysSnapshotEqualsTheLiveFigures()
    {
        await BookAsync();
        var live = (await DashboardAsync("gm")).Value!;
        var liveLead = (await DashboardAsync("lead")).Value!;
        live.FromSnapshot.ShouldBeFalse();

        var october = (await DashboardAsync("gm", asOf: new DateOnly(2026, 10, 31))).Value!;
        october.FromSnapshot.ShouldBeTrue();
        var o = october.Total;
        (o.Loans, o.PrincipalOutstanding).ShouldBe((5, 220_000m));
        (o.Par[1].Numerator, o.Par[30].Numerator, o.Par[60].Numerator, o.Par[90].Numerator).ShouldBe((190_000m, 100_000m, 80_000m, 80_000m));
        o.NplRatio.Numerator.ShouldBe(80_000m, "154 days past due is 次级");
        o.Classes[LoanClass.SpecialMention].ShouldBe((3, 110_000m));

        App.Clock.Advance(TimeSpan.FromDays(1)); // the next morning, before that night's close
        foreach (var (user, before) in new[] { ("gm", live), ("lead", liveLead) })
        {
            var snapshot = (await DashboardAsync(user, asOf: Yesterday)).Value!;
            snapshot.FromSnapshot.ShouldBeTrue();
            var (a, b) = (snapshot.Total, before.Total);
            (a.Loans, a.PrincipalOutstanding, a.Overdue, a.NplRatio.Numerator).ShouldBe((b.Loans, b.PrincipalOutstanding, b.Overdue, b.NplRatio.Numerator), user);
            PortfolioQuality.ParDays.Select(n => a.Par[n].Numerator).ShouldBe(PortfolioQuality.ParDays.Select(n => b.Par[n].Numerator), user);
            a.Classes.ShouldBe(b.Classes, user);
            snapshot.Breakdown.Select(r => (r.Name, r.Figures.PrincipalOutstanding)).ShouldBe(before.Breakdown.Select(r => (r.Name, r.Figures.PrincipalOutstanding)), user);
        }
    }
}

/// <summary>The loans behind a past date's risk figures (the per-loan rows the snapshot step keeps).</summary>
public class CockpitPastDrillDownTests(IsolatedApp app) : CockpitTestBase(app)
{
    /// <summary>
    /// 31 October's PAR30 opens the two loans more than 30 days past due that night (60 and 154 days: 20,000 + 80,000),
    /// its 关注 row the three loans 16 and 60 days past due — the same count and sum as the figure, for the GM and
    /// (without 上海一队's loan) the team lead; a payment made since changes today's list, never that night's; and the
    /// rows of every snapshot date add up to that night's at-risk cells.
    /// </summary>
    [Fact]
    public async Task APastDatesRiskFigures_OpenThatNightsLoans_AndNeverMove()
    {
        var loans = await BookAsync();
        var october = new DateOnly(2026, 10, 31);
        var gm = (await DashboardAsync("gm", asOf: october)).Value!;
        gm.FromSnapshot.ShouldBeTrue();

        var par30 = CockpitLinks.OnPastDate(CockpitLinks.Loans(gm.Filter, dpdFrom: CockpitLinks.DpdFromForPar(30)), october);
        par30.ShouldNotBeNull();
        par30.ShouldContain("asOf=2026-10-31");
        CockpitLinks.OnPastDate(CockpitLinks.Loans(gm.Filter), october).ShouldBeNull("the outstanding of a past date counts healthy loans too: no list");
        CockpitLinks.OnPastDate(CockpitLinks.Loans(gm.Filter, classes: [LoanClass.Normal]), october).ShouldBeNull();

        async Task<(LoanTotals Totals, List<LoanRow> Rows)> Behind(string user, string link)
        {
            var filter = ParseLink(link);
            filter.AsOf.ShouldBe(october);
            var totals = await As(App.Services, user, s => s.Get<LoanQueries>().TotalsAsync(filter));
            var rows = await As(App.Services, user, s => s.Get<LoanQueries>().ListAsync(filter, 0, 50));
            return (totals, rows.Items.ToList());
        }

        var (totals, rows) = await Behind("gm", par30);
        (totals.Loans, totals.PrincipalOutstanding).ShouldBe((2, gm.Total.Par[30].Numerator));
        totals.PrincipalOutstanding.ShouldBe(100_000m);
        rows.Select(r => (r.Id, r.DaysPastDue, r.PrincipalOutstanding)).ShouldBe([(loans["dpd214"], 154, 80_000m), (loans["dpd90"], 60, 20_000m)]);

        var mention = CockpitLinks.OnPastDate(CockpitLinks.Loans(gm.Filter, classes: [LoanClass.SpecialMention]), october)!;
        var (m, mentionRows) = await Behind("gm", mention);
        (m.Loans, m.PrincipalOutstanding).ShouldBe(gm.Total.Classes[LoanClass.SpecialMention]);
        mentionRows.Select(r => r.DaysPastDue).ShouldBe([60, 16, 16]);
        var lead = (await DashboardAsync("lead", asOf: october)).Value!;
        var (l, _) = await Behind("lead", CockpitLinks.OnPastDate(CockpitLinks.Loans(lead.Filter, classes: [LoanClass.SpecialMention]), october)!);
        (l.Loans, l.PrincipalOutstanding).ShouldBe(lead.Total.Classes[LoanClass.SpecialMention]);
        l.Loans.ShouldBe(2, "上海一队's loan is outside the lead's team");

        // a payment today clears dpd90's oldest arrears: today's list changes, 31 October's does not
        var beforeToday = await As(App.Services, "gm", s => s.Get<LoanQueries>().TotalsAsync(ParseLink(CockpitLinks.Loans(new CockpitFilter(), dpdFrom: 31))));
        var version = (uint)await Sql.ScalarAsync<long>("""SELECT xmin::text::bigint FROM loans WHERE "Id" = @id""", ("id", loans["dpd90"]));
        var posted = await As(App.Services, "finance", s => s.Get<LoanServicing>().PostRepaymentAsync(loans["dpd90"], new DateOnly(2026, 12, 1), 5_000m, "BankTransfer", "PAST-1", version));
        posted.IsSuccess.ShouldBeTrue(posted.Error?.Code);
        var afterToday = await As(App.Services, "gm", s => s.Get<LoanQueries>().TotalsAsync(ParseLink(CockpitLinks.Loans(new CockpitFilter(), dpdFrom: 31))));
        afterToday.ShouldNotBe(beforeToday);
        (await Behind("gm", par30)).Totals.ShouldBe(totals);

        (await Sql.LoanStatesDifferAsync()).ShouldBe(0L, "every snapshot date's per-loan rows add up to its at-risk cells");
        (await Sql.ScalarAsync<long>("SELECT count(DISTINCT valid_from) FROM portfolio_loan_states")).ShouldBeGreaterThan(3L);
    }
}

/// <summary>Vintage curves from the month-end rows of the loans at risk.</summary>
public class VintageCurveTests(IsolatedApp app) : CockpitTestBase(app)
{
    /// <summary>
    /// By hand (grace 0, nothing ever paid): April's 80,000 falls due 30 May and is more than 30 days past due from
    /// 30 June — 0 % at the end of May, 100 % of what April lent at every month-end after; August's 20,000 (due 1
    /// September) from 31 October; September's 50,000 + 40,000 (due 15 October) at 30 November only; October's and
    /// November's loans never. The lead's curves leave out 上海一队's 40,000.
    /// </summary>
    [Fact]
    public async Task EachDisbursementMonth_ShowsPar30OfWhatItLent_AtEveryMonthEndSince()
    {
        await BookAsync();
        var gm = (await As(App.Services, "gm", s => s.Get<PortfolioDashboard>().GetAsync(new CockpitFilter()))).Value!;
        string Curve(VintageCurve c) => $"{c.Month:yyyy-MM} {c.Lent:0} " + string.Join(" ", c.Points.Select(p => $"M{p.MonthsOnBook}={(p.Par30OfLent.Value ?? 0m):0.##}"));
        var curves = gm.VintageCurves.ToDictionary(c => c.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        curves.Keys.Order().ShouldBe(["2026-04", "2026-08", "2026-09", "2026-10", "2026-11"]);
        var april = curves["2026-04"];
        april.Lent.ShouldBe(80_000m);
        april.Points.Where(p => p.MonthsOnBook >= 1).Select(p => (p.MonthsOnBook, p.MonthEnd, p.Par30OfLent.Value)).ShouldBe(
        [
            (1, new DateOnly(2026, 5, 31), 0m), (2, new DateOnly(2026, 6, 30), 1m), (3, new DateOnly(2026, 7, 31), 1m), (4, new DateOnly(2026, 8, 31), 1m),
            (5, new DateOnly(2026, 9, 30), 1m), (6, new DateOnly(2026, 10, 31), 1m), (7, new DateOnly(2026, 11, 30), 1m),
        ], Curve(april));
        curves["2026-08"].Points.Select(p => (p.MonthsOnBook, p.AtRisk30)).ShouldBe([(0, 0m), (1, 0m), (2, 20_000m), (3, 20_000m)], Curve(curves["2026-08"]));
        curves["2026-09"].Lent.ShouldBe(90_000m);
        curves["2026-09"].Points.Select(p => p.AtRisk30).ShouldBe([0m, 0m, 90_000m], Curve(curves["2026-09"]));
        curves["2026-10"].Points.Select(p => p.AtRisk30).ShouldBe([0m, 0m]);
        curves["2026-11"].Points.Select(p => p.AtRisk30).ShouldBe([0m]);

        var lead = (await As(App.Services, "lead", s => s.Get<PortfolioDashboard>().GetAsync(new CockpitFilter()))).Value!;
        var september = lead.VintageCurves.Single(c => c.Month == new DateOnly(2026, 9, 1));
        (september.Lent, september.Points[^1].AtRisk30, september.Points[^1].Par30OfLent.Value).ShouldBe((50_000m, 50_000m, 1m));
    }
}

/// <summary>The cockpit's test book and the figures by hand (each test class has its own database and clock).</summary>
public abstract class CockpitTestBase(IsolatedApp app) : ServicingTestBase(app)
{
    protected static readonly DateOnly Yesterday = new(2026, 11, 30);

    protected async Task<Dictionary<string, Guid>> BookAsync()
    {
        var loans = new Dictionary<string, Guid>
        {
            ["current"] = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 11, 20)),
            ["dpd10"] = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 10, 20), new TestLoans.Terms(Principal: 30_000m)),
            ["dpd46"] = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 9, 15), new TestLoans.Terms(Principal: 50_000m, Method: RepaymentMethod.EqualPrincipal)),
            ["dpd90"] = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 8, 1), new TestLoans.Terms(Principal: 20_000m)),
            ["dpd214"] = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 4, 30), new TestLoans.Terms(Principal: 80_000m, Months: 24)),
            ["sh"] = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 9, 15), new TestLoans.Terms(Principal: 40_000m), officer: "officer.sh"),
        };
        // TestLoans makes 杭州团队's loans; 上海一队's officer's loan belongs to 上海一队
        await Sql.ExecAsync("""UPDATE loans SET "TeamId" = (SELECT "Id" FROM teams WHERE "Code" = 'SH01') WHERE "Id" = @id""", ("id", loans["sh"]));
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(Yesterday, "test")).IsSuccess.ShouldBeTrue();
        (await Sql.LiveCellsDifferAsync()).ShouldBe(0L, "today's cells kept by the triggers (a team changed by hand, the close) equal the loans added up");
        return loans;
    }

    /// <summary>The figures by hand in SQL, over the tables: open loans, the team's if given.</summary>
    protected async Task<(int Loans, decimal Gross, decimal Par1, decimal Par30, decimal Par60, decimal Par90, decimal Overdue, decimal Npl)> ExpectedAsync(string? team = null)
    {
        var where = """l."Status" IN ('Active', 'Overdue')""" + (team is null ? "" : $""" AND l."TeamId" = (SELECT "Id" FROM teams WHERE "Code" = '{team}')""");
        async Task<decimal> Sum(string condition) => await Sql.ScalarAsync<decimal>($"""
            SELECT coalesce(sum(i."Principal" - i."PrincipalPaid"), 0) FROM loans l JOIN loan_installments i ON i."LoanId" = l."Id" WHERE {where} AND {condition}
            """);
        var overdue = await Sql.ScalarAsync<decimal>($"""
            SELECT coalesce(sum(i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid"), 0)
              FROM loans l JOIN loan_installments i ON i."LoanId" = l."Id"
             WHERE {where} AND i."DueDate" + l."GraceDays" < l."ClosedThrough" AND (i."Principal" - i."PrincipalPaid" + i."Interest" - i."InterestPaid") > 0
            """);
        return ((int)await Sql.ScalarAsync<long>($"SELECT count(*) FROM loans l WHERE {where}"), await Sum("true"),
            await Sum("""l."DaysPastDue" > 1"""), await Sum("""l."DaysPastDue" > 30"""), await Sum("""l."DaysPastDue" > 60"""), await Sum("""l."DaysPastDue" > 90"""),
            overdue, await Sum("""l."Class" IN ('Substandard', 'Doubtful', 'Loss')"""));
    }

    protected Task<Result<Dashboard>> DashboardAsync(string user, CockpitFilter? filter = null, DateOnly? asOf = null) =>
        As(App.Services, user, s => s.Get<PortfolioDashboard>().GetAsync(filter ?? new CockpitFilter(), asOf));

    protected static LoanFilter ParseLink(string link)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + link).Query);
        string? Q(string k) => query.TryGetValue(k, out var v) ? v.ToString() : null;
        return CockpitLinks.Parse(Q("region"), Q("team"), Q("officer"), Q("product"), Q("method"), Q("dpdFrom"), Q("classes"), Q("open"), Q("extended"), Q("asOf"));
    }
}

public class ReportingPeriodTests
{
    [Fact]
    public void TheMonthToDate_IsComparedWithWholeMonths_AChosenStartWithAsManyDaysBefore_AndAYearEarlier()
    {
        var m = ReportingPeriods.Of(null, new DateOnly(2026, 3, 31))!;
        (m.MonthToDate, m.Current, m.Previous, m.YearEarlier).ShouldBe((true, new ReportingPeriod(new(2026, 3, 1), new(2026, 3, 31)),
            new ReportingPeriod(new(2026, 2, 1), new(2026, 2, 28)), new ReportingPeriod(new(2025, 3, 1), new(2025, 3, 31))));
        ReportingPeriods.Of(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 5))!.MonthToDate.ShouldBeTrue("the first of the month is the month to date");
        var p = ReportingPeriods.Of(new DateOnly(2026, 2, 20), new DateOnly(2026, 3, 1))!;
        (p.MonthToDate, p.Current.Days, p.Previous, p.YearEarlier).ShouldBe((false, 10, new ReportingPeriod(new(2026, 2, 10), new(2026, 2, 19)),
            new ReportingPeriod(new(2025, 2, 20), new(2025, 3, 1))));
        ReportingPeriods.Of(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1))!.Current.Days.ShouldBe(1);
        ReportingPeriods.Of(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1)).ShouldBeNull();
    }
}

public class PortfolioQualityTests
{
    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(30, 1)]
    [InlineData(31, 30)]
    [InlineData(60, 30)]
    [InlineData(61, 60)]
    [InlineData(90, 60)]
    [InlineData(91, 90)]
    public void TheBucket_PutsALoanInParN_ExactlyWhenItIsMoreThanNDaysPastDue(int dpd, int bucket)
    {
        PortfolioQuality.Bucket(dpd).ShouldBe(bucket);
        foreach (var n in PortfolioQuality.ParDays) (PortfolioQuality.Bucket(dpd) >= n).ShouldBe(PortfolioQuality.AtRisk(dpd, n));
    }

    [Fact]
    public void Par_SumsWholeBalances_AndTheNplRatioTheWorstThreeClasses()
    {
        var team = Guid.NewGuid();
        PortfolioCell Cell(LoanClass c, int bucket, decimal principal, decimal overdue) => new(team, null, "CREDIT", RepaymentMethod.EqualInstallment, c, false, bucket, 1, principal, overdue);
        var f = PortfolioQuality.Of([
            Cell(LoanClass.Normal, -1, 600_000m, 0m),
            Cell(LoanClass.SpecialMention, 1, 200_000m, 5_000m),
            Cell(LoanClass.SpecialMention, 30, 100_000m, 12_000m),
            Cell(LoanClass.Substandard, 90, 100_000m, 40_000m),
        ]);
        f.PrincipalOutstanding.ShouldBe(1_000_000m);
        (f.Par[1].Value, f.Par[30].Value, f.Par[60].Value, f.Par[90].Value).ShouldBe((0.4m, 0.2m, 0.1m, 0.1m));
        f.ArrearsRate.Value.ShouldBe(0.057m);
        f.NplRatio.Value.ShouldBe(0.1m);
        f.AverageOutstanding.ShouldBe(250_000m);
        PortfolioQuality.Of([]).Par[30].Value.ShouldBeNull("nothing outstanding: no ratio, not zero");
    }
}

/// <summary>
/// The pipeline on files moved through the real services with the clock moved on between the moves, so every stage
/// time, wait and the turnaround are known by hand: file A received at 12:00 on 1 December (China) and disbursed 21
/// hours later, file B still in the pool, file C rejected from the pool after 2 hours.
/// </summary>
public class PipelineTests(IsolatedApp app) : ServicingTestBase(app)
{
    private void Hours(int h) => App.Clock.Advance(TimeSpan.FromHours(h));

    private async Task<Guid> ReceiveAsync() =>
        (await As(App.Services, "gm", s => s.Get<IntakeService>().SubmitAsync(LoanOffice.Tests.Integration.OriginationTests.Request("杭州市西湖区", 100_000m), "WEB", null))).Value!.ApplicationId;

    private async Task<uint> V(Guid id) => (await LoadAsync(App.Services, id)).Version;

    [Fact]
    public async Task StagesWaitsFlowApprovalRateAndTurnaround_AgreeWithTheClockByHand()
    {
        var (a, b, c, d) = (await ReceiveAsync(), await ReceiveAsync(), await ReceiveAsync(), await ReceiveAsync());
        var officer = await Sql.ScalarAsync<Guid>("""SELECT "Id" FROM "AspNetUsers" WHERE "UserName" = 'officer'""");
        Hours(2);
        Ok(await As(App.Services, "lead", async s => await s.Get<ApplicationWorkflow>().AssignAsync(a, officer, await V(a))));
        Ok(await As(App.Services, "lead", async s => await s.Get<ApplicationWorkflow>().AssignAsync(d, officer, await V(d)))); // D stays with the officer
        Ok(await As(App.Services, "lead", async s => await s.Get<ApplicationWorkflow>().RejectAsync(c, "不符合准入条件", await V(c))));
        Hours(3);
        Ok(await As(App.Services, "officer", async s => await s.Get<ApplicationWorkflow>().StartCollectingAsync(a, await V(a))));
        Hours(5);
        foreach (var doc in new[] { "身份证", "收入证明", "上门照片" })
            (await As(App.Services, "officer", s => s.Get<ApplicationWorkflow>().UploadAsync(a, new UploadedFile(doc + ".jpg", doc, Jpeg)))).IsSuccess.ShouldBeTrue();
        Ok(await As(App.Services, "officer", async s => await s.Get<ApplicationWorkflow>().SubmitAsync(a, await V(a))));
        Hours(1);
        Ok(await As(App.Services, "reviewer", s => s.Get<ApplicationWorkflow>().ClaimAsync(a)));
        Hours(2);
        Ok(await As(App.Services, "reviewer", async s => await s.Get<ApplicationWorkflow>().PassReviewAsync(a, "资料齐全", await V(a))));
        Hours(4);
        foreach (var approver in new[] { "approver", "approver2", "approver3" })
            Ok(await As(App.Services, approver, s => s.Get<ApprovalService>().VoteAsync(a, true, 100_000m, 12, "同意")));
        Hours(1);
        Ok(await As(App.Services, "chief", async s => await s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(a, "同意", await V(a))));
        Hours(2);
        var today = Fmt.ChinaDate(App.Clock);
        (await As(App.Services, "finance", async s => await s.Get<ApplicationWorkflow>().SignContractAsync(a, today, await V(a)))).IsSuccess.ShouldBeTrue();
        Hours(1);
        (await As(App.Services, "finance", async s => await s.Get<ApplicationWorkflow>().DisburseAsync(a, today, 100_000m, "4111111111111111", "BANK-PIPE-1", await V(a)))).IsSuccess.ShouldBeTrue();

        var p = (await As(App.Services, "gm", s => s.Get<PipelineDashboard>().GetAsync(new CockpitFilter()))).Value!;
        var flow = p.ThisMonth;
        (flow.Received, flow.Approved, flow.Rejected, flow.Withdrawn, flow.Disbursed, flow.ApprovalDecisions).ShouldBe((4, 1, 1, 0, 1, 1));
        flow.ApprovalRate.Value.ShouldBe(1m);
        (flow.MedianDaysToDisburse, flow.P90DaysToDisburse).ShouldBe((0.9m, 0.9m), "21 hours = 0.875 days");
        p.LastMonth.Received.ShouldBe(0);
        var pool = p.Stages.Single(s => s.Stage == ApplicationState.Pool);
        (pool.Files, pool.MedianHoursWaiting, pool.OverSla, pool.SlaHours).ShouldBe((1, 21.0m, 0, 24), "file B waits since it came in");
        p.Stages.Single(s => s.Stage == ApplicationState.Assigned).ShouldBe(new StageNow(ApplicationState.Assigned, 1, 19.0m, 0, 48), "D, assigned 19 hours ago");
        p.Stages.Where(s => s.Stage is not (ApplicationState.Pool or ApplicationState.Assigned)).ShouldAllBe(s => s.Files == 0);
        // the officer's tasks: D open in Assigned for 19 hours; A spent 3 hours assigned and 5 collecting
        var sun = p.Officers.Single(o => o.Officer == "孙伟");
        (sun.Open, sun.ByStage[ApplicationState.Assigned], sun.OldestHours, sun.OverSla, sun.MedianAssignedHours, sun.MedianCollectingHours, sun.MedianAssignedHoursLastMonth)
            .ShouldBe((1, 1, 19.0m, 0, 3.0m, 5.0m, (decimal?)null));
        var times = p.StageTimesThisMonth.ToDictionary(t => t.Stage, t => (t.Files, t.MedianHours));
        times[ApplicationState.Pool].ShouldBe((3, 2.0m), "A, C and D each left the pool after 2 hours");
        times[ApplicationState.Assigned].ShouldBe((1, 3.0m));
        times[ApplicationState.Collecting].ShouldBe((1, 5.0m));
        times[ApplicationState.Submitted].ShouldBe((1, 1.0m));
        times[ApplicationState.PreliminaryReview].ShouldBe((1, 2.0m));
        times[ApplicationState.Approval].ShouldBe((1, 4.0m));
        times[ApplicationState.FinalReview].ShouldBe((1, 1.0m));
        times[ApplicationState.Approved].ShouldBe((1, 2.0m));
        times[ApplicationState.Contracted].ShouldBe((1, 1.0m));
        var centralised = p.ByMode.Single(m => m.Mode == LoanOffice.Domain.Organisation.ApprovalMode.Centralized).Flow;
        (centralised.Received, centralised.Disbursed).ShouldBe((4, 1), "杭州团队 approves online");
        p.ByMode.Single(m => m.Mode == LoanOffice.Domain.Organisation.ApprovalMode.Committee).Flow.Received.ShouldBe(0);

        Hours(30); // B has now waited 51 hours: over the pool's 24; D 49 assigned: over the 48 of its stage
        var later = (await As(App.Services, "lead", s => s.Get<PipelineDashboard>().GetAsync(new CockpitFilter()))).Value!;
        later.Stages.Single(s => s.Stage == ApplicationState.Pool).ShouldBe(new StageNow(ApplicationState.Pool, 1, 51.0m, 1, 24));
        later.Officers.Single(o => o.Officer == "孙伟").OverSla.ShouldBe(1);
        (await As(App.Services, "lead.sh", s => s.Get<PipelineDashboard>().GetAsync(new CockpitFilter()))).Value!.ThisMonth.Received
            .ShouldBe(0, "another team's lead sees none of 杭州团队's files");

        // every pipeline count opens the files behind it: the same number, the same files
        async Task<List<Guid>> FilesAsync(string user, string link)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + link).Query);
            string? Q(string k) => query.TryGetValue(k, out var v) ? v.ToString() : null;
            var sla = PipelineDashboard.OpenStages.ToDictionary(st => st, new PipelineOptions().HoursFor);
            var filter = CockpitLinks.ParseFiles(Q("state"), Q("region"), Q("team"), Q("officer"), Q("pastSla"), sla);
            var page = await As(App.Services, user, s => s.Get<ApplicationQueries>().QueueAsync(filter, 0, 100));
            page.Total.ShouldBe(page.Items.Count);
            return page.Items.Select(i => i.Id).ToList();
        }

        var all = new CockpitFilter();
        (await FilesAsync("lead", CockpitLinks.Files(all, ApplicationState.Pool))).ShouldBe([b]);
        (await FilesAsync("lead", CockpitLinks.Files(all, ApplicationState.Pool, pastSla: true))).ShouldBe([b], "51 hours against 24");
        (await FilesAsync("lead", CockpitLinks.Files(all, ApplicationState.Assigned))).ShouldBe([d]);
        (await FilesAsync("lead", CockpitLinks.Files(all, officerId: officer))).ShouldBe([d], "the officer's open files");
        (await FilesAsync("lead", CockpitLinks.Files(all, officerId: officer, pastSla: true))).ShouldBe([d], "49 hours against 48");
        (await FilesAsync("lead", CockpitLinks.Files(all, ApplicationState.Approval))).ShouldBeEmpty();
        (await FilesAsync("lead", CockpitLinks.Files(all))).Count.ShouldBe(later.Stages.Sum(st => st.Files));
        (await FilesAsync("lead.sh", CockpitLinks.Files(all, ApplicationState.Pool))).ShouldBeEmpty("scoped like the pipeline");
    }
}

/// <summary>
/// The on-time collection rate for November (the month of the last close, 30 November): three loans of 12,000 at
/// 18 % over 12 months, each with 1,100.16 falling due in November — one paid on its due date, one paid late (with its
/// penalty, and more), one not paid. Due 3,300.48; paid on time 1,100.16; recovered late 1,100.16.
/// </summary>
public class CollectionRateTests(IsolatedApp app) : ServicingTestBase(app)
{
    [Fact]
    public async Task TheOnTimeRate_CountsWhatWasPaidByTheDueDatePlusGrace_AndLateRecoveriesApart()
    {
        var onTime = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 10, 5));
        var late = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 10, 10));
        await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 10, 15));
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2026, 11, 30), "test")).IsSuccess.ShouldBeTrue();
        async Task Pay(Guid loan, DateOnly on, decimal amount, string reference)
        {
            var version = (uint)await Sql.ScalarAsync<long>("""SELECT xmin::text::bigint FROM loans WHERE "Id" = @id""", ("id", loan));
            var posted = await As(App.Services, "finance", s => s.Get<LoanServicing>().PostRepaymentAsync(loan, on, amount, "BankTransfer", reference, version));
            posted.IsSuccess.ShouldBeTrue(posted.Error?.Code + " " + posted.Error?.Message);
        }

        var unpaid = await Sql.ScalarAsync<Guid>("""SELECT "Id" FROM loans WHERE "DisbursedOn" = '2026-10-15'""");
        // promises to pay taken on 15 November: the late payer's kept (2,000 came on the 20th), the other's broken
        foreach (var (loan, date, amount) in new[] { (late, "2026-11-20", 2_000m), (unpaid, "2026-11-25", 500m) })
            await Sql.ExecAsync($"""
                INSERT INTO collection_actions ("Id", "CaseId", "Kind", "Note", "PromisedDate", "PromisedAmount", "By", "ByName", "At")
                SELECT gen_random_uuid(), c."Id", 'PromiseToPay', '承诺还款', '{date}', @amount, c."OfficerId", '孙伟', '2026-11-15T02:00:00Z'
                  FROM collection_cases c WHERE c."LoanId" = @loan
                """, ("loan", loan), ("amount", amount));

        await Pay(onTime, new DateOnly(2026, 11, 5), 1_100.16m, "CR-ON-TIME");
        await Pay(late, new DateOnly(2026, 11, 20), 2_000m, "CR-LATE"); // its penalty, installment 1, part of installment 2

        var d = (await As(App.Services, "gm", s => s.Get<PortfolioDashboard>().GetAsync(new CockpitFilter()))).Value!;
        var november = d.Collections!.ThisMonth;
        (november.From, november.To).ShouldBe((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)));
        (november.Due, november.PaidOnTime, november.RecoveredLate).ShouldBe((3_300.48m, 1_100.16m, 1_100.16m));
        november.OnTimeRate.Value.ShouldBe(1_100.16m / 3_300.48m);
        d.Collections!.LastMonth.Due.ShouldBe(0m, "nothing fell due in October");
        var sun = d.Officers.Single(o => o.Name == "孙伟");
        (sun.PromisesKept, sun.PromisesBroken).ShouldBe((1, 1));
        (sun.Due, sun.PaidOnTime).ShouldBe((3_300.48m, 1_100.16m), "the officer's three loans: the league's on-time rate is the same rule");
        sun.OnTimeRate.Value.ShouldBe(november.OnTimeRate.Value);
        (await As(App.Services, "lead.sh", s => s.Get<PortfolioDashboard>().GetAsync(new CockpitFilter()))).Value!.Collections!.ThisMonth.Due
            .ShouldBe(0m, "another team's lead");
    }
}
