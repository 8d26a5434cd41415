using System.Globalization;
using System.Text;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Import;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Validation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Servicing;
using Npgsql;
using DomainLoan = LoanOffice.Domain.Loans.Loan;

namespace LoanOffice.Web.Features.Import;

/// <summary>
/// The demo company's book, eighteen months of it ending yesterday, brought in through the migration import itself:
/// ~3,000 customers over the six districts, ~2,500 loans over the three teams and both products (every method the
/// products offer), with their payment history — mostly on time, some late then cured, partial payers, defaults old
/// enough to reach 次级, 可疑 and 损失 — and ~150 new applications in the teams' pools. Generated from a fixed seed with
/// dates relative to the day it runs, so the demo never ages; seeded once (a later run finds the book there and only
/// brings the close up to yesterday).
/// </summary>
public static class DemoHistory
{
    public const string Prefix = "DEMO-";
    public const int Customers = 3_000;
    public const int Loans = 2_500;
    public const int Applications = 150;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "建国", "海燕"];

    private static readonly Dictionary<string, string> OfficerOf = new() { ["HZ01"] = "officer", ["SH01"] = "officer.sh", ["SZ01"] = "officer.sz" };

    /// <summary>A 1×1 white PNG: the demo's sample document.</summary>
    private static readonly byte[] SamplePng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==");

    public sealed record Outcome(int Customers, int Loans, int Payments, int Applications, bool AlreadyThere);

    public static async Task<Outcome> SeedAsync(IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand("""SELECT EXISTS (SELECT 1 FROM loans WHERE "Number" LIKE 'DEMO-%')""", conn))
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            {
                await CatchUpAsync(services, ct);
                return new Outcome(0, 0, 0, 0, AlreadyThere: true);
            }

        var today = Fmt.ChinaDate(clock);
        var (customers, loans, payments) = Files(today);
        var importer = services.GetRequiredService<ImportService>();
        var actor = ImportActor.System("seed-demo");
        var c = Check(await importer.ImportAsync(ImportKind.Customers, "demo-customers.csv", customers, new ImportOptions(), actor, null, ct));
        var l = Check(await importer.ImportLoansAsync(new ImportUpload("demo-loans.csv", loans), new ImportUpload("demo-payments.csv", payments), new ImportOptions(), actor, null, ct));

        // new files in the pools, from the public form's channel
        var intake = services.GetRequiredService<IntakeService>();
        var random = new Random(2026);
        var districts = DemoCompanySeeder.DemoDistricts.Keys.ToArray();
        var made = 0;
        var received = new List<Guid>();
        for (var i = 0; i < Applications; i++)
        {
            var credit = random.Next(100) < 85;
            var request = new IntakeRequest(Name(random), ResidentIdFor(50_000 + i), "15" + i.ToString("000000000", CultureInfo.InvariantCulture),
                districts[i % districts.Length], credit ? "CREDIT" : "MORTGAGE",
                credit ? random.Next(5, 200) * 1_000m : random.Next(10, 150) * 10_000m, credit ? new[] { 6, 12, 24, 36 }[random.Next(4)] : new[] { 24, 36, 60, 120 }[random.Next(4)],
                new[] { "经营周转", "购置设备", "装修", "进货", "教育" }[random.Next(5)], true);
            var receipt = await intake.SubmitAsync(request, "WEB", Prefix + "APP-" + i.ToString("000", CultureInfo.InvariantCulture), ct);
            if (!receipt.IsSuccess) continue;
            made++;
            received.Add(receipt.Value!.ApplicationId);
        }

        await MoveAlongAsync(services, received, clock, ct);
        await DecideAsync(services, received, clock, ct);
        await WorkCasesAsync(services, ct);

        await CatchUpAsync(services, ct);
        // the months before the close first ran: month-end snapshots by the domain's replay, so the cockpit has a history
        await services.GetRequiredService<Cockpit.SnapshotBackfill>().MonthEndsAsync(Fmt.LastEndedBusinessDate(clock), ct);
        await ServiceTodayAsync(services, clock, ct);
        return new Outcome(c.Imported, l.Imported, l.Payments?.Imported ?? 0, made, AlreadyThere: false);
    }

    /// <summary>
    /// The new files where a team's day leaves them, through the domain's own moves by the demo staff: some still in
    /// the pool, some assigned to the team's officer, some being collected (with the officer's notes), some withdrawn
    /// or rejected by the team lead with a reason.
    /// </summary>
    private static async Task MoveAlongAsync(IServiceProvider services, IReadOnlyList<Guid> ids, TimeProvider clock, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct);
        var staff = DemoCompanySeeder.DemoUsers.ToDictionary(u => u.UserName);
        var userIds = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
            db.Users.Where(u => staff.Keys.Contains(u.UserName!)), u => u.UserName!, u => u.Id, ct);
        var teams = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(db.Teams, t => t.Id, t => t.Code, ct);
        LoanOffice.Domain.Applications.Actor As(string user) =>
            new(userIds[user], staff[user].DisplayName + " (" + user + ")", new HashSet<string> { staff[user].Role }, null);
        var leadOf = new Dictionary<string, string> { ["HZ01"] = "lead", ["SH01"] = "lead.sh" };
        var now = clock.GetUtcNow();
        var apps = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.Include(db.Applications, a => a.Transitions).Where(a => ids.Contains(a.Id)).OrderBy(a => a.Number), ct);
        var required = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(db.Products, p => p.Id, p => p.RequiredDocuments, ct);
        var onwards = new List<(LoanOffice.Domain.Applications.LoanApplication App, int Step, string Officer)>();
        foreach (var (app, i) in apps.Select((a, i) => (a, i)))
        {
            var team = teams[app.TeamId];
            if (!leadOf.TryGetValue(team, out var lead)) continue; // 深圳团队 has no lead among the demo staff: its files wait in the pool
            var officer = OfficerOf[team];
            var at = now.AddMinutes(i);
            switch (i % 20 is 0 or 3 ? 9 : i % 10) // some of the pool's and the assigned files on to approval too
            {
                case 1 or 2 or 3:
                    Ok(app.Assign(userIds[officer], As(lead), false, at));
                    break;
                case 4 or 5 or 6 or 9:
                    Ok(app.Assign(userIds[officer], As(lead), false, at));
                    Ok(app.StartCollecting(As(officer), at.AddMinutes(5)));
                    Ok(app.UpdateFile(As(officer), "已电话核实经营情况，待补充流水与营业执照。", app.ProposedRate));
                    if (i % 10 == 4) break;
                    // the officer uploads the product's documents (a sample image each), then the file goes on
                    foreach (var type in required[app.ProductId])
                    {
                        var id = Guid.CreateVersion7();
                        db.ApplicationDocuments.Add(new Data.Origination.ApplicationDocument
                        {
                            Id = id, ApplicationId = app.Id, DocumentType = type, FileName = type + "（示例）.png", ContentType = "image/png",
                            Size = SamplePng.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(SamplePng)),
                            UploadedBy = userIds[officer], UploadedAt = at.AddMinutes(10),
                        });
                        db.ApplicationDocumentContents.Add(new Data.Origination.ApplicationDocumentContent { DocumentId = id, Content = SamplePng });
                    }

                    onwards.Add((app, i % 10, officer));
                    break;
                case 7:
                    Ok(app.Withdraw(As(lead), "客户表示暂不需要贷款。", at));
                    break;
                case 8:
                    Ok(app.Reject(As(lead), "经营年限不足一年，不符合准入条件。", at));
                    break;
            }
        }

        await db.SaveChangesAsync(ct);
        // submitted with every document; the reviewer takes some and passes a few to approval
        foreach (var (app, step, officer) in onwards)
        {
            var at = now.AddMinutes(30);
            Ok(app.Submit(As(officer), await LoanOffice.Web.Features.Applications.ApplicationWorkflow.MissingDocumentsAsync(db, app), at));
            if (step == 5) continue;
            Ok(app.Claim(As("reviewer"), at.AddMinutes(5), LoanOffice.Domain.Applications.LoanApplication.DefaultClaimIdle));
            if (step == 9) Ok(app.PassReview(As("reviewer"), "资料齐全，经营稳定，同意提交审批。", at.AddMinutes(10)));
        }

        await db.SaveChangesAsync(ct);
    }

    private static void Ok(LoanOffice.Domain.Common.Result result)
    {
        if (!result.IsSuccess) throw new InvalidOperationException("seed-demo: " + result.Error!.Code + " " + result.Error.Message);
    }

    /// <summary>
    /// Files past review where the approvers and the committee leave them, through the services as the demo staff
    /// (their roles, scope and four-eyes rules apply): the centralised team's online votes — a file waiting for its
    /// first vote, one with one vote, a disputed one (a dissenting approver) for the chief, one disputed and settled,
    /// agreed files through final review, a contract signed, one disbursed today — and the committee team's meeting
    /// today with its decisions (approved over a dissenting member, rejected) and next week's meeting with its agenda.
    /// </summary>
    private static async Task DecideAsync(IServiceProvider services, IReadOnlyList<Guid> ids, TimeProvider clock, CancellationToken ct)
    {
        var today = Fmt.ChinaDate(clock);
        List<(Guid Id, string Team, decimal Amount, int Months, decimal Rate)> files;
        Dictionary<string, Guid> staff;
        Guid committeeTeam;
        await using (var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct))
        {
            files = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                    from a in db.Applications
                    join t in db.Teams on a.TeamId equals t.Id
                    where ids.Contains(a.Id) && a.State == LoanOffice.Domain.Applications.ApplicationState.Approval
                    orderby a.Number
                    select new { a.Id, t.Code, a.RequestedAmount, a.RequestedMonths, a.ProposedRate }, ct))
                .Select(x => (x.Id, x.Code, x.RequestedAmount, x.RequestedMonths, x.ProposedRate)).ToList();
            string[] names = ["gm", "chief", "lead.sh"];
            staff = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
                db.Users.Where(u => names.Contains(u.UserName!)), u => u.UserName!, u => u.Id, ct);
            committeeTeam = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Teams.Where(t => t.Code == "SH01").Select(t => t.Id), ct);
        }

        async Task<uint> VersionOf(Guid id)
        {
            await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct);
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Applications.Where(a => a.Id == id).Select(a => a.Version), ct);
        }

        Task As(string user, Func<IServiceProvider, Task<LoanOffice.Domain.Common.Result>> action) =>
            Security.ActingUser.RunAsync(services, user, async s => { Ok(await action(s)); return true; });

        Task Vote(Guid id, string approver, bool approve, decimal amount, int months, string? comment) =>
            As(approver, s => s.GetRequiredService<ApprovalService>().VoteAsync(id, approve, amount, months, comment));

        async Task ThroughFinalReview(Guid id) =>
            await As("chief", async s => await s.GetRequiredService<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "审批意见明确，同意按批复条件签约。", await VersionOf(id)));

        async Task Contract(Guid id) =>
            await As("finance", async s => (LoanOffice.Domain.Common.Result)await s.GetRequiredService<ApplicationWorkflow>().SignContractAsync(id, today, await VersionOf(id)));

        var centralised = files.Where(f => f.Team == "HZ01").ToList();
        // the stages in the order they are handed out, so even a few files show the later ones
        int[] stages = [6, 2, 5, 4, 7, 3, 1, 0];
        foreach (var ((id, _, amount, months, _), k) in centralised.Select((f, k) => (f, k)))
        {
            var stage = stages[k % stages.Length];
            switch (stage)
            {
                case 0: break; // waiting for the first vote
                case 1:
                    await Vote(id, "approver", true, amount, months, "经营稳定，同意。");
                    break;
                case 2 or 7: // a dissenting approver: the file waits for the chief
                    await Vote(id, "approver", true, amount, months, "还款来源充足，同意。");
                    await Vote(id, "approver2", false, amount, months, "负债率偏高，建议压降额度。");
                    await Vote(id, "approver3", true, amount, months, null);
                    if (stage == 7)
                        await As("chief", async s => await s.GetRequiredService<ApprovalService>().SettleAsync(id, true,
                            decimal.Round(amount * 0.8m / 1_000m, 0, MidpointRounding.AwayFromZero) * 1_000m, months, "综合意见，压降两成额度后同意。", await VersionOf(id)));
                    break;
                default: // agreed; then final review, a contract, a disbursement today
                    await Vote(id, "approver", true, amount, months, "经营稳定，同意。");
                    await Vote(id, "approver2", true, amount, months, "同意。");
                    await Vote(id, "approver3", true, amount, months, null);
                    if (stage == 3) break;
                    await ThroughFinalReview(id);
                    if (stage == 4) break;
                    await Contract(id);
                    if (stage == 5) break;
                    await As("finance", async s =>
                    {
                        var version = await VersionOf(id);
                        await using var db = await s.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct);
                        var approved = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Applications.Where(a => a.Id == id).Select(a => a.ApprovedAmount), ct);
                        return await s.GetRequiredService<ApplicationWorkflow>().DisburseAsync(id, today, approved!.Value, "6222020200112233446", "DEMO-BANK-" + id.ToString("N")[..10], version);
                    });
                    break;
            }
        }

        // 上海一队 decides in committee: 陈建国, 郑强 and the team lead 杨帆 sit today and again next week
        var committee = files.Where(f => f.Team == "SH01").ToList();
        if (committee.Count == 0) return;
        Guid[] members = [staff["gm"], staff["chief"], staff["lead.sh"]];
        async Task<Guid> Plan(DateOnly date) => await Security.ActingUser.RunAsync(services, "lead.sh", async s =>
        {
            var planned = await s.GetRequiredService<Committee.CommitteeService>().PlanAsync(committeeTeam, date, members, ct);
            Ok(planned);
            return planned.Value;
        });
        var (sitting, nextWeek) = (await Plan(today), await Plan(today.AddDays(7)));
        foreach (var ((id, _, amount, months, rate), k) in committee.Select((f, k) => (f, k)))
        {
            var meeting = k % 3 == 2 ? nextWeek : sitting;
            await As("lead.sh", async s => await s.GetRequiredService<Committee.CommitteeService>().RegisterAsync(id, meeting, await VersionOf(id)));
            if (meeting == nextWeek) continue;
            var approve = k % 3 == 0;
            IReadOnlyList<LoanOffice.Domain.Applications.MemberVote> votes = approve
                ? [new(members[0], true, "同意"), new(members[1], true, null), new(members[2], false, "收入证明不足，建议追加担保人。")]
                : [new(members[0], false, "行业风险较高"), new(members[1], false, "负债率超过准入标准"), new(members[2], true, null)];
            await As("lead.sh", async s => await s.GetRequiredService<Committee.CommitteeService>().RecordAsync(id, approve,
                approve ? amount : null, approve ? months : null, approve ? rate : null,
                approve ? "需追加一名担保人" : "行业风险较高，负债率超过准入标准，不予批准。",
                approve ? "借款人经营稳定，多数委员同意；一名委员要求追加担保。" : "多数委员认为风险过高。", votes, await VersionOf(id)));
        }
    }

    /// <summary>
    /// Today's servicing on the caught-up book, by the demo staff through the services: prepayments both ways (a
    /// shorter term, a lower installment) by finance, and two extensions requested by the loan's officer and approved by
    /// the chief — so the loan pages show schedule versions and the extension history.
    /// </summary>
    private static async Task ServiceTodayAsync(IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        var today = Fmt.ChinaDate(clock);
        List<(Guid Id, string Number, string Officer, decimal Outstanding, DateOnly Maturity)> loans;
        await using (var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct))
            loans = (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                    from l in db.Loans
                    join u in db.Users on l.OfficerId equals u.Id
                    where l.Number.StartsWith(Prefix) && l.Status == LoanOffice.Domain.Loans.LoanStatus.Active && l.DaysPastDue == 0
                    orderby l.Number
                    select new
                    {
                        l.Id, l.Number, u.UserName,
                        Outstanding = l.Installments.Sum(i => i.Principal - i.PrincipalPaid),
                        Maturity = l.Installments.Max(i => i.DueDate),
                    }, ct))
                .Select(x => (x.Id, x.Number, x.UserName!, x.Outstanding, x.Maturity)).ToList();

        async Task<uint> VersionOf(Guid id)
        {
            await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct);
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Loans.Where(l => l.Id == id).Select(l => l.Version), ct);
        }

        var used = new HashSet<Guid>();
        foreach (var option in new[] { PrepaymentOption.ShortenTerm, PrepaymentOption.LowerInstallment })
        {
            var done = 0;
            foreach (var loan in loans.Where(l => !used.Contains(l.Id) && l.Outstanding >= 50_000m && l.Maturity > today.AddMonths(6)))
            {
                var principal = decimal.Round(loan.Outstanding * 0.3m / 1_000m, 0, MidpointRounding.AwayFromZero) * 1_000m;
                var posted = await Security.ActingUser.RunAsync(services, "finance", async s => await s.GetRequiredService<LoanServicing>()
                    .PostPrepaymentAsync(loan.Id, today, principal, option, "BankTransfer", "DEMO-PRE-" + loan.Number, await VersionOf(loan.Id)));
                if (!posted.IsSuccess) continue; // e.g. a loan whose product refuses it: the next one
                used.Add(loan.Id);
                if (++done == 2) break;
            }
            if (done == 0) throw new InvalidOperationException("seed-demo: no loan took a prepayment " + option);
        }

        var extended = 0;
        foreach (var loan in loans.Where(l => !used.Contains(l.Id) && l.Maturity > today && l.Maturity <= today.AddDays(90)))
        {
            var requested = await Security.ActingUser.RunAsync(services, loan.Officer, async s => await s.GetRequiredService<LoanRiskService>()
                .RequestExtensionAsync(loan.Id, loan.Maturity.AddMonths(6), "借款人季节性经营，回款周期延长，申请展期六个月。", await VersionOf(loan.Id)));
            if (!requested.IsSuccess) continue;
            var approved = await Security.ActingUser.RunAsync(services, "chief", async s => await s.GetRequiredService<LoanRiskService>()
                .ApproveExtensionAsync(requested.Value, "经营正常，同意展期。", await VersionOf(loan.Id)));
            Ok(approved);
            if (++extended == 2) break;
        }
        if (extended < 2) throw new InvalidOperationException("seed-demo: fewer than two loans could be extended");
    }

    /// <summary>
    /// The officers' work on the open collection cases, through the case's own rules: calls, a visit, promises to pay
    /// (a date and an amount), each entered on a day between the case's opening and yesterday.
    /// </summary>
    private static async Task WorkCasesAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.LoanOfficeDbContext>>().CreateDbContextAsync(ct);
        var cases = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            from c in db.CollectionCases
            join l in db.Loans on c.LoanId equals l.Id
            join u in db.Users on l.OfficerId equals u.Id
            where c.Status == Data.Servicing.CaseStatus.Open && l.Number.StartsWith(Prefix)
            orderby l.Number
            select new { Case = c, l.ClosedThrough, Officer = u.Id, Name = u.DisplayName + " (" + u.UserName + ")" }, ct);
        var random = new Random(7);
        string[] calls = ["电话联系借款人，称本月资金周转困难，承诺尽快还款。", "电话无人接听，已发送短信提醒。", "联系担保人了解情况，借款人近期外出。"];
        foreach (var (x, i) in cases.Select((x, i) => (x, i)))
        {
            if (i % 3 == 2) continue; // a third not worked yet
            var @case = x.Case.ToDomain();
            var days = Math.Max(0, x.ClosedThrough.DayNumber - x.Case.OpenedOn.DayNumber);
            var entries = new List<(DateOnly Day, LoanOffice.Domain.Loans.CollectionActionKind Kind, string Note, DateOnly? Date, decimal? Amount)>
            {
                (x.Case.OpenedOn.AddDays(Math.Min(days, 1)), LoanOffice.Domain.Loans.CollectionActionKind.Call, calls[random.Next(calls.Length)], null, null),
            };
            if (days > 10)
                entries.Add((x.Case.OpenedOn.AddDays(7), LoanOffice.Domain.Loans.CollectionActionKind.PromiseToPay, "借款人承诺在约定日期前归还逾期款项。",
                    x.Case.OpenedOn.AddDays(7 + random.Next(3, 10)), random.Next(5, 50) * 100m));
            if (days > 60)
                entries.Add((x.Case.OpenedOn.AddDays(45), LoanOffice.Domain.Loans.CollectionActionKind.Visit, "上门走访，借款人经营场所已停业，已留下催收通知。", null, null));
            foreach (var e in entries)
            {
                var entry = @case.Log(e.Kind, e.Note, e.Date, e.Amount, e.Day);
                if (!entry.IsSuccess) throw new InvalidOperationException("seed-demo: " + entry.Error!.Code);
                db.CollectionActions.Add(new Data.Servicing.CollectionAction
                {
                    Id = Guid.CreateVersion7(), CaseId = x.Case.Id, Kind = entry.Value!.Kind, Note = entry.Value.Note, PromisedDate = entry.Value.PromisedDate,
                    PromisedAmount = entry.Value.PromisedAmount, By = x.Officer, ByName = x.Name,
                    At = new DateTimeOffset(e.Day.ToDateTime(new TimeOnly(10, 30)), TimeSpan.FromHours(8)).ToUniversalTime(),
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>The close through yesterday, so the book is current before the app serves.</summary>
    private static async Task CatchUpAsync(IServiceProvider services, CancellationToken ct)
    {
        var close = services.GetRequiredService<CloseOfBusiness>();
        await close.RunThroughAsync(close.LastClosableDate, "seed-demo", ct: ct);
    }

    private static ImportOutcome Check(LoanOffice.Domain.Common.Result<ImportOutcome> result)
    {
        var o = result.Value ?? throw new InvalidOperationException("seed-demo: " + result.Error!.Message);
        if (o.Problems.Count > 0)
            throw new InvalidOperationException($"seed-demo: {o.Problems.Count} rows refused, e.g. row {o.Problems[0].Row} {o.Problems[0].Column}: {o.Problems[0].Error.Code}");
        return o;
    }

    private static string Name(Random r) => Surnames[r.Next(Surnames.Length)] + Given[r.Next(Given.Length)];

    private static string ResidentIdFor(int i)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"330106{new DateOnly(1965, 1, 1).AddDays(i / 100 * 7 % 12_000):yyyyMMdd}{i % 100:00}{i % 7}");
        return first17 + ResidentId.CheckCharacter(first17);
    }

    /// <summary>The three files, from a fixed seed, with every date counted back from today.</summary>
    public static (byte[] Customers, byte[] Loans, byte[] Payments) Files(DateOnly today)
    {
        var inv = CultureInfo.InvariantCulture;
        var random = new Random(20261201);
        var districts = DemoCompanySeeder.DemoDistricts.ToArray();
        var c = new StringBuilder("姓名,身份证号,手机号,地址,区域,银行卡号\n");
        var ids = new string[Customers];
        var teams = new string[Customers];
        for (var i = 0; i < Customers; i++)
        {
            ids[i] = ResidentIdFor(i);
            var (district, team) = districts[i % districts.Length];
            teams[i] = team;
            c.Append(inv, $"{Name(random)},{ids[i]},1{3 + i % 7}{(i * 7919 % 1_000_000_000):000000000},{district}{random.Next(1, 400)}号,{district},\n");
        }

        var l = new StringBuilder("外部借据号,客户身份证号,产品代码,团队代码,客户经理,本金,年利率,还款方式,期数,放款日,罚息上浮,宽限天数\n");
        var p = new StringBuilder("外部借据号,入账日,金额,外部流水号\n");
        var yesterday = today.AddDays(-1);
        for (var i = 0; i < Loans; i++)
        {
            var number = Prefix + i.ToString("00000", inv);
            var mortgage = random.Next(100) < 15;
            var (method, principal, months, rate) = mortgage
                ? (new[] { RepaymentMethod.EqualInstallment, RepaymentMethod.EqualPrincipal, RepaymentMethod.Bullet }[random.Next(3)],
                   random.Next(20, 200) * 10_000m, new[] { 24, 36, 60, 120 }[random.Next(4)], 0.08m + random.Next(9) * 0.005m)
                : (new[] { RepaymentMethod.EqualInstallment, RepaymentMethod.EqualPrincipal, RepaymentMethod.InterestOnly }[random.Next(3)],
                   random.Next(5, 300) * 1_000m, new[] { 6, 12, 24, 36 }[random.Next(4)], 0.12m + random.Next(7) * 0.005m);
            if (method == RepaymentMethod.Bullet) months = Math.Min(months, 24);
            var disbursed = today.AddDays(-random.Next(1, 548));
            var team = teams[i];
            l.Append(inv, $"{number},{ids[i]},{(mortgage ? "MORTGAGE" : "CREDIT")},{team},{OfficerOf[team]},{principal},{rate},{method},{months},{disbursed:yyyy-MM-dd},,\n");

            var schedule = ScheduleCalculator.Build(method, principal, rate, months, disbursed).Value!;
            var due = schedule.Installments.Where(x => x.Number > 0 && x.DueDate <= yesterday).ToList();
            var behaviour = random.Next(100);
            // on time (most); late once, then cured; partial payer; stops paying after some installments (a default)
            var stopAfter = behaviour >= 93 && due.Count > 1 ? random.Next(0, due.Count - 1) : int.MaxValue;
            var lateOne = behaviour is >= 80 and < 88 && due.Count > 0 ? random.Next(due.Count) : -1;
            var terms = new LoanTerms(method, principal, rate, months, disbursed, 0.5m, 3);
            var history = new List<PaymentEvent>();
            var coveredThrough = DateOnly.MinValue; // a late payment also pays what fell due meanwhile
            foreach (var (line, k) in due.Select((x, k) => (x, k)))
            {
                if (k >= stopAfter) break;
                if (line.DueDate <= coveredThrough) continue;
                var date = line.DueDate;
                var amount = line.Payment;
                if (k == lateOne)
                {
                    // paid late, then cured: on a later day, everything then due with its penalty — worked out by the loan itself
                    date = line.DueDate.AddDays(random.Next(6, 35));
                    if (date > yesterday) break;
                    var payoff = DomainLoan.Resume(terms, DomainLoan.StartOf(schedule), null, history).PayoffOn(date).Value!;
                    amount = payoff.Penalty + payoff.Compound + payoff.OverdueAndDue;
                    coveredThrough = date;
                }
                else if (behaviour is >= 88 and < 93) amount = decimal.Round(line.Payment * 0.7m, 2, MidpointRounding.AwayFromZero);

                history.Add(new PaymentEvent(Guid.NewGuid(), date, amount));
                p.Append(inv, $"{number},{date:yyyy-MM-dd},{amount},{number}-{line.Number}\n");
            }
        }

        return (Encoding.UTF8.GetBytes(c.ToString()), Encoding.UTF8.GetBytes(l.ToString()), Encoding.UTF8.GetBytes(p.ToString()));
    }
}
