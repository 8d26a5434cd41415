using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Loans;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The close of business (日终批处理) against the real database: figures, exactly-once, catch-up, failures.</summary>
public class CloseOfBusinessTests(IsolatedApp app) : ServicingTestBase(app)
{
    private CloseOfBusiness Close => App.Services.GetRequiredService<CloseOfBusiness>();

    private Task<LoanOfficeDbContext> DbAsync() => Task.FromResult(Sql.Db());

    private async Task<IReadOnlyList<CloseDateResult>> RunAsync(DateOnly date, string by = "test")
    {
        var result = await Close.RunThroughAsync(date, by);
        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        return result.Value!;
    }

    private async Task<List<LoanAccrual>> AccrualsAsync(params Guid[] loans)
    {
        await using var db = await DbAsync();
        return await db.LoanAccruals.AsNoTracking().Where(a => loans.Contains(a.LoanId)).OrderBy(a => a.LoanId).ThenBy(a => a.BusinessDate).ThenBy(a => a.Kind).ToListAsync();
    }

    /// <summary>
    /// What the close must have produced for an unpaid loan, from the domain alone: one penalty and one compound
    /// accrual per overdue day, on the overdue principal and interest of that day.
    /// </summary>
    private static async Task<List<(Guid Loan, DateOnly Date, AccrualKind Kind, decimal Amount)>> ExpectedAsync(LoanOfficeDbContext db, Guid[] loans, DateOnly through)
    {
        var expected = new List<(Guid, DateOnly, AccrualKind, decimal)>();
        foreach (var loan in await db.Loans.AsNoTracking().Include(l => l.Installments).Where(l => loans.Contains(l.Id)).ToListAsync())
        {
            var balances = loan.Installments.Select(i => new InstallmentBalance(i.Number, i.DueDate, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid)).ToList();
            for (var d = loan.DisbursedOn.AddDays(1); d <= through; d = d.AddDays(1))
            {
                var overdue = balances.Where(b => PaymentAllocator.IsOverdue(b, d, loan.GraceDays)).ToList();
                var day = OverdueAccrual.AtRate(d, overdue.Sum(b => b.PrincipalOutstanding), overdue.Sum(b => b.InterestOutstanding), loan.PenaltyAnnualRate);
                if (overdue.Sum(b => b.PrincipalOutstanding) > 0) expected.Add((loan.Id, d, AccrualKind.Penalty, day.Penalty));
                if (overdue.Sum(b => b.InterestOutstanding) > 0) expected.Add((loan.Id, d, AccrualKind.Compound, day.Compound));
            }
        }

        return expected.OrderBy(e => e.Item1).ThenBy(e => e.Item2).ThenBy(e => e.Item3).ToList();
    }

    private async Task ShouldHaveExactlyTheExpectedAccrualsAsync(Guid[] loans, DateOnly through)
    {
        await using var db = await DbAsync();
        var expected = await ExpectedAsync(db, loans, through);
        var actual = (await AccrualsAsync(loans)).Select(a => (a.LoanId, a.BusinessDate, a.Kind, a.Amount))
            .OrderBy(e => e.LoanId).ThenBy(e => e.BusinessDate).ThenBy(e => e.Kind).ToList();
        actual.Count.ShouldBe(expected.Count, "no duplicates and no gaps");
        var firstDifference = actual.Zip(expected).FirstOrDefault(p => p.First != p.Second);
        firstDifference.ShouldBe(default, "the first accrual that differs from the domain's figure");
        // each loan was closed through the date, or passed by while resting past it
        (await db.Loans.Where(l => loans.Contains(l.Id)).CountAsync(l => l.ClosedThrough != through && l.RestsUntil < through)).ShouldBe(0);
    }

    [Fact]
    public async Task ANight_TouchesOnlyTheLoansWithWork_ReminderDay_FirstOverdueDay_AndEveryDayWhileOverdue()
    {
        // eleven loans of 12,000 at 18 % from 20 Jan: installment 1 falls due 20 Feb; reminders 3 days ahead, no grace.
        // A twelfth, disbursed in December and never paid, is overdue since 21 Jan.
        var original = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 1, 20));
        Guid[] current = [original, .. await Sql.CloneAsync(original, 10)];
        var late = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 12, 20));
        (await RunAsync(new DateOnly(2026, 2, 10)))[^1].LoansClosed.ShouldBe(1, "10 Feb: only the overdue loan has work");

        var nights = await RunAsync(new DateOnly(2026, 2, 22));
        nights.Select(r => (r.BusinessDate.Day, r.LoansClosed, r.Reminders > 0)).ShouldBe([
            (11, 1, false), (12, 1, false), (13, 1, false), (14, 1, false), (15, 1, false), (16, 1, false),
            (17, 12, true),                                   // the reminders for 20 Feb
            (18, 1, false), (19, 1, false), (20, 1, false),
            (21, 12, true),                                   // the first day overdue: the notice, a case each
            (22, 12, false),                                  // every day while overdue
        ]);
        nights.Single(r => r.BusinessDate.Day == 21).CasesOpened.ShouldBe(11);
        await using var db = await DbAsync();
        var rested = await db.Loans.AsNoTracking().Include(l => l.Installments).SingleAsync(l => l.Id == current[0]);
        (rested.DaysPastDue, rested.ClosedThrough, rested.RestsUntil).ShouldBe((2, new DateOnly(2026, 2, 22), new DateOnly(2026, 2, 22)));

        // paying the installment: the loan rests again until the day before its next reminder (17 Mar for 20 Mar)
        await using (var scope = await ActingAs.UserAsync(App.Services, "finance"))
        {
            var amount = rested.Installments[0].Principal + rested.Installments[0].Interest + 5m;
            var posted = await scope.Get<LoanServicing>().PostRepaymentAsync(rested.Id, new DateOnly(2026, 2, 23), amount, "BankTransfer", "P-" + Guid.NewGuid().ToString("N")[..10], rested.Version);
            posted.IsSuccess.ShouldBeTrue(posted.Error?.Message);
        }

        var paid = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == current[0]);
        (paid.DaysPastDue, paid.Status, paid.RestsUntil).ShouldBe((0, LoanStatus.Active, new DateOnly(2026, 3, 16)));
        (await RunAsync(new DateOnly(2026, 2, 23))).Single().LoansClosed.ShouldBe(11, "the paid loan is passed by");
        (await db.Loans.AsNoTracking().SingleAsync(l => l.Id == current[0])).ClosedThrough.ShouldBe(new DateOnly(2026, 2, 22), "resting since its payment");
        (await db.Loans.AsNoTracking().SingleAsync(l => l.Id == late)).ClosedThrough.ShouldBe(new DateOnly(2026, 2, 23));
    }

    [Fact]
    public async Task ThirtyDaysOn150OfOverdueInterest_At0075PercentADay_Accrue3Point38OfCompoundInterest()
    {
        // interest only, 10,000 at 18 %/year: 150.00 interest a month; markup 50 % → 0.18/360 × 1.5 = 0.075 % a day.
        // Disbursed 30 Jun: the first 150.00 falls due 30 Jul and is overdue from 31 Jul; through 29 Aug is 30 days
        // (the second installment falls due 30 Aug, so nothing else is overdue yet).
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 6, 30),
            new TestLoans.Terms(Principal: 10_000m, AnnualRate: 0.18m, Months: 6, Method: RepaymentMethod.InterestOnly, PenaltyMarkup: 0.5m, GraceDays: 0));
        await RunAsync(new DateOnly(2026, 8, 29));

        var accruals = await AccrualsAsync(loan);
        accruals.ShouldAllBe(a => a.Kind == AccrualKind.Compound, "no principal is overdue, so no penalty interest");
        accruals.Count.ShouldBe(30);
        accruals.First().BusinessDate.ShouldBe(new DateOnly(2026, 7, 31));
        accruals.ShouldAllBe(a => a.Amount == 0.1125m && a.Basis == 150.00m);
        OverdueAccrual.AmountDue(accruals.Select(a => a.Amount)).ShouldBe(3.38m); // 3.375 rounded half away from zero

        await using var db = await DbAsync();
        var row = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == loan);
        row.DaysPastDue.ShouldBe(30);
        row.Class.ShouldBe(LoanClass.SpecialMention);
        row.ClosedThrough.ShouldBe(new DateOnly(2026, 8, 29));
        var history = await db.LoanClassChanges.AsNoTracking().Where(c => c.LoanId == loan).ToListAsync();
        history.Select(h => (h.BusinessDate, h.FromClass, h.ToClass)).ShouldBe([(new DateOnly(2026, 7, 31), LoanClass.Normal, LoanClass.SpecialMention)]);
        var @case = await db.CollectionCases.AsNoTracking().SingleAsync(c => c.LoanId == loan);
        (@case.Status, @case.OpenedOn).ShouldBe((CaseStatus.Open, new DateOnly(2026, 7, 31)));
        (await db.AuditEntries.AnyAsync(a => a.EntityType == "Loan" && a.EntityKey == loan.ToString() && a.Actor == CloseOfBusiness.Actor && a.Changes.Contains("SpecialMention")))
            .ShouldBeTrue("the change of class is in the audit trail");
    }

    [Fact]
    public async Task PenaltyOnOverduePrincipal_AndCompoundOnOverdueInterest_MatchTheDomainForEveryDay_RespectingGraceDays()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 3, 15),
            new TestLoans.Terms(Principal: 24_000m, AnnualRate: 0.15m, Months: 12, PenaltyMarkup: 0.3m, GraceDays: 3));
        var through = new DateOnly(2026, 6, 20);
        await RunAsync(through);
        await ShouldHaveExactlyTheExpectedAccrualsAsync([loan], through);
        var accruals = await AccrualsAsync(loan);
        accruals.Min(a => a.BusinessDate).ShouldBe(new DateOnly(2026, 4, 19), "due 15 Apr + 3 grace days: overdue from the 19th");
        accruals.ShouldContain(a => a.Kind == AccrualKind.Penalty && a.Amount > 0);
    }

    [Fact]
    public async Task RunningTheCloseTwice_ChangesNothingTheSecondTime()
    {
        var loans = await Sql.CloneAsync(await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 1, 20)), 20);
        var through = new DateOnly(2026, 4, 1);
        var first = await RunAsync(through);
        first.Sum(r => r.LoansClosed).ShouldBeGreaterThan(0);
        var before = await AccrualsAsync(loans);
        await using var db = await DbAsync();
        var notificationsBefore = await db.Notifications.CountAsync(n => loans.Contains(n.LoanId!.Value));
        var casesBefore = await db.CollectionCases.CountAsync(c => loans.Contains(c.LoanId));

        var second = await RunAsync(through, "test-again");
        second.ShouldHaveSingleItem().LoansClosed.ShouldBe(0);
        second[0].Accruals.ShouldBe(0);
        (await AccrualsAsync(loans)).Count.ShouldBe(before.Count);
        (await db.Notifications.CountAsync(n => loans.Contains(n.LoanId!.Value))).ShouldBe(notificationsBefore);
        (await db.CollectionCases.CountAsync(c => loans.Contains(c.LoanId))).ShouldBe(casesBefore);
        await ShouldHaveExactlyTheExpectedAccrualsAsync(loans, through);
    }

    [Fact]
    public async Task TwoNodesClosingTheSameDateAtOnce_ShareTheLoans_AndDoEveryLoanExactlyOnce()
    {
        var loans = await Sql.CloneAsync(await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 10, 5)), 200);
        await using var second = new AppFactory { Connection = App.DatabaseConnection };
        second.Settings["Close:BatchSize"] = "25";
        _ = second.Services; // start the second host: its own CloseOfBusiness and connection pool
        var through = new DateOnly(2025, 11, 15);
        var small = new CloseOfBusiness(App.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new CloseOptions { BatchSize = 25 }), Microsoft.Extensions.Logging.Abstractions.NullLogger<CloseOfBusiness>.Instance);

        var runs = await Task.WhenAll(
            small.RunThroughAsync(through, "node-a"),
            second.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(through, "node-b"));

        runs.ShouldAllBe(r => r.IsSuccess);
        var closedByBoth = runs.SelectMany(r => r.Value!).GroupBy(r => r.BusinessDate).Select(g => g.Sum(r => r.LoansClosed)).ToList();
        closedByBoth.ShouldAllBe(n => n == 0 || n == 201, "every loan closed once per date it has work, whichever node took it");
        closedByBoth.Count(n => n == 201).ShouldBe(11, "the reminder on 2 Nov, then every day overdue from 6 Nov to 15 Nov");
        await ShouldHaveExactlyTheExpectedAccrualsAsync(loans, through);
    }

    [Fact]
    public async Task AfterDowntime_TheCloseCatchesUpEveryMissedDate_InOrder()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 7, 1));
        var loans = await Sql.CloneAsync(loan, 5);
        await RunAsync(new DateOnly(2025, 9, 10));
        long before;
        await using (var first = await DbAsync()) before = await first.CobRuns.MaxAsync(r => (long?)r.Id) ?? 0; // other tests close these dates too
        var runs = await RunAsync(new DateOnly(2025, 9, 15)); // five nights missed

        runs.Select(r => r.BusinessDate).ShouldBe(Enumerable.Range(11, 5).Select(d => new DateOnly(2025, 9, d)));
        runs.ShouldAllBe(r => r.LoansClosed == 6 && r.Status == CobRunStatus.Completed);
        await ShouldHaveExactlyTheExpectedAccrualsAsync([loan, .. loans], new DateOnly(2025, 9, 15));
        await using var db = await DbAsync();
        (await db.CobRuns.CountAsync(r => r.Id > before && r.BusinessDate >= new DateOnly(2025, 9, 11) && r.BusinessDate <= new DateOnly(2025, 9, 15) && r.Status == CobRunStatus.Completed))
            .ShouldBe(5);
    }

    [Fact]
    public async Task ALoanThatFails_IsRecordedAndSkipped_TheRestCompletes_AndTheNextRunRetriesIt()
    {
        var good = await Sql.CloneAsync(await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 4, 2)), 9);
        var bad = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 4, 2));
        // a corrupt rate makes the day's accrual negative, which the accruals table refuses
        await Sql.ExecAsync("""UPDATE loans SET "PenaltyAnnualRate" = -0.36 WHERE "Id" = @id""", ("id", bad));
        var through = new DateOnly(2025, 5, 10);

        var runs = await RunAsync(through);
        var failing = runs.Where(r => r.Failures > 0).ToList();
        failing.ShouldNotBeEmpty();
        failing[0].Status.ShouldBe(CobRunStatus.CompletedWithFailures);
        await ShouldHaveExactlyTheExpectedAccrualsAsync(good, through);

        await using var db = await DbAsync();
        var failure = await db.CobFailures.AsNoTracking().Where(f => f.LoanId == bad).OrderBy(f => f.Id).FirstAsync();
        failure.BusinessDate.ShouldBe(new DateOnly(2025, 5, 3), "the first overdue day (due 2 May)");
        failure.Error.ShouldContain("ck_loan_accruals_amount");
        var stopped = await db.Loans.AsNoTracking().SingleAsync(l => l.Id == bad);
        (stopped.ClosedThrough, stopped.RestsUntil).ShouldBe((new DateOnly(2025, 4, 29), new DateOnly(2025, 5, 2)), "left where it stopped: its reminder night, resting to the due date");

        // repaired, the next run picks it up from where it stopped
        await Sql.ExecAsync("""UPDATE loans SET "PenaltyAnnualRate" = 0.27 WHERE "Id" = @id""", ("id", bad));
        var again = await RunAsync(through);
        again.ShouldAllBe(r => r.Failures == 0);
        await ShouldHaveExactlyTheExpectedAccrualsAsync([bad], through);
    }

    [Fact]
    public async Task DueReminders_AreQueuedOncePerInstallmentAndChannel_EvenWhenTheCloseRunsThreeTimes()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2025, 3, 8), new TestLoans.Terms(ReminderLeadDays: 3));
        var date = new DateOnly(2025, 4, 5); // first installment due 8 Apr: three days ahead
        for (var i = 0; i < 3; i++) await RunAsync(date, "test-" + i);

        await using var db = await DbAsync();
        var reminders = await db.Notifications.AsNoTracking().Where(n => n.LoanId == loan).ToListAsync();
        reminders.Select(n => (n.Kind, n.Channel, n.InstallmentNumber)).OrderBy(x => x.Channel)
            .ShouldBe([("DueReminder", NotificationChannel.Sms, (int?)1), ("DueReminder", NotificationChannel.InApp, (int?)1)]);
        var sms = reminders.Single(n => n.Channel == NotificationChannel.Sms);
        sms.Status.ShouldBe(NotificationStatus.Pending);
        sms.Body.ShouldContain("2025-04-08");
        sms.Body.ShouldContain("第1期");
        sms.Body.ShouldContain("期应还¥1,100.16，将于", Case.Sensitive, "the amount as people read it, with separators");
        var inApp = reminders.Single(n => n.Channel == NotificationChannel.InApp);
        inApp.Status.ShouldBe(NotificationStatus.Sent);
        inApp.UserId.ShouldBe(await db.Users.Where(u => u.UserName == "officer").Select(u => u.Id).SingleAsync());
    }

    [Fact]
    public async Task KillingACloseMidway_ThenRunningAgain_LeavesExactlyTheExpectedAccruals()
    {
        var loans = await Sql.CloneAsync(await TestLoans.CreateAsync(App.Services, new DateOnly(2024, 12, 1)), 1500);
        var through = new DateOnly(2025, 1, 20);
        var startInfo = new System.Diagnostics.ProcessStartInfo("bash", ["-c", "exec ./loanoffice cob --date 2025-01-20"])
        {
            WorkingDirectory = Architecture.DomainIsolationTests.RepoRoot(),
            RedirectStandardOutput = false,
            RedirectStandardError = true,
        };
        startInfo.Environment["ConnectionStrings__Default"] = Sql.ConnectionString;
        startInfo.Environment["LOANOFFICE_APP_DLL"] = Path.Combine(AppContext.BaseDirectory, "LoanOffice.Web.dll");
        startInfo.Environment["Close__BatchSize"] = "20";
        using var child = System.Diagnostics.Process.Start(startInfo)!;
        var stderr = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        child.BeginErrorReadLine();

        // wait until the child is in the middle of the overdue dates, then kill it without warning
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = await DbAsync();
            // the first overdue day (due 1 Jan) is under way: part of its batches committed
            if (await db.CobRuns.AnyAsync(r => r.Status == CobRunStatus.Running && r.BusinessDate == new DateOnly(2025, 1, 3) && r.LoansClosed > 0)) break;
            if (child.HasExited) throw new Xunit.Sdk.XunitException("the close finished before it could be killed: " + stderr);
            (DateTime.UtcNow < deadline).ShouldBeTrue("the child never got going");
            await Task.Delay(20);
        }

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        await using (var db = await DbAsync())
        {
            var closed = await db.Loans.Where(l => loans.Contains(l.Id)).Select(l => l.ClosedThrough).Distinct().ToListAsync();
            closed.Max().ShouldBeLessThan(through, "killed before the end");
            (await db.CobRuns.AnyAsync(r => r.Status == CobRunStatus.Running && r.TriggeredBy.StartsWith("cli:"))).ShouldBeTrue("the killed run never finished");
        }

        // minutes later (no heartbeat any more) the next run records the dead one as interrupted and finishes its work
        await Sql.ExecAsync("""UPDATE cob_runs SET "HeartbeatAt" = now() - interval '5 minutes' WHERE "Status" = 'Running'""");
        await RunAsync(through, "after-the-crash");
        await ShouldHaveExactlyTheExpectedAccrualsAsync(loans, through);
        await using (var db = await DbAsync())
        {
            (await db.CobRuns.AnyAsync(r => r.Status == CobRunStatus.Running)).ShouldBeFalse();
            var killed = await db.CobRuns.AsNoTracking().Where(r => r.TriggeredBy.StartsWith("cli:") && r.BusinessDate == new DateOnly(2025, 1, 3)).ToListAsync();
            killed.ShouldContain(r => r.Status == CobRunStatus.Interrupted && r.Error!.Contains("process running it stopped", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheCloseRefusesADateThatHasNotEnded()
    {
        var result = await Close.RunThroughAsync(Close.LastClosableDate.AddDays(1), "test");
        result.IsSuccess.ShouldBeFalse();
        result.Error!.Field.ShouldBe("date");
    }
}
