using LoanOffice.Data.Origination;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Servicing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Manual classification, extension (展期) and the collections queue through the services the pages use.</summary>
public class RiskAndCollectionsTests(IsolatedApp app) : ServicingTestBase(app)
{
    private static readonly DateOnly Disbursed = new(2025, 3, 8); // installment 1 due 2025-04-08
    private async Task CloseThroughAsync(DateOnly date) =>
        (await App.Services.GetRequiredService<CloseOfBusiness>().RunThroughAsync(date, "test")).IsSuccess.ShouldBeTrue();

    private async Task<Loan> LoanAsync(Guid id)
    {
        await using var db = Sql.Db();
        return await db.Loans.AsNoTracking().Include(l => l.Installments.OrderBy(i => i.Number)).SingleAsync(l => l.Id == id);
    }

    private async Task<T> AsAsync<T>(string user, Func<ActingAs, Task<T>> work)
    {
        await using var scope = await ActingAs.UserAsync(App.Services, user);
        return await work(scope);
    }

    [Fact]
    public async Task AManualClass_CanOnlyBeWorseThanDpd_NeedsAReason_IsAuditedInTheHistory_AndTheCloseKeepsIt()
    {
        var id = await TestLoans.CreateAsync(App.Services, Disbursed);
        await CloseThroughAsync(new DateOnly(2025, 4, 12)); // 4 days past due: 关注
        var loan = await LoanAsync(id);
        loan.DpdClass.ShouldBe(LoanClass.SpecialMention);

        (await AsAsync("finance", s => s.Get<LoanRiskService>().SetManualClassAsync(id, LoanClass.Doubtful, "x", loan.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.RiskClassifierOnly);
        var better = await AsAsync("chief", s => s.Get<LoanRiskService>().SetManualClassAsync(id, LoanClass.Normal, "customer paid in cash elsewhere", loan.Version));
        better.Error!.Field.ShouldBe("class");
        better.Error.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ClassBetterThanDpd);
        LoanOffice.Web.Hosting.ErrorText.Render(better.Error, System.Globalization.CultureInfo.InvariantCulture).ShouldContain("cannot be better than Special mention");
        LoanOffice.Web.Hosting.ErrorText.Render(better.Error, new System.Globalization.CultureInfo("zh-CN")).ShouldContain("关注");
        (await AsAsync("chief", s => s.Get<LoanRiskService>().SetManualClassAsync(id, LoanClass.Substandard, " ", loan.Version))).Error!.Field.ShouldBe("reason");
        (await LoanAsync(id)).Class.ShouldBe(LoanClass.SpecialMention, "refusals change nothing");

        (await AsAsync("chief", s => s.Get<LoanRiskService>().SetManualClassAsync(id, LoanClass.Substandard, "客户经营场所已关闭", loan.Version))).IsSuccess.ShouldBeTrue();
        var after = await LoanAsync(id);
        (after.Class, after.ManualClass, after.ManualClassReason).ShouldBe((LoanClass.Substandard, (LoanClass?)LoanClass.Substandard, "客户经营场所已关闭"));
        (await AsAsync("chief", s => s.Get<LoanRiskService>().SetManualClassAsync(id, LoanClass.Doubtful, "again", loan.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ChangedSinceOpened, "the version the user saw is gone");

        await using var db = Sql.Db();
        var change = await db.LoanClassChanges.AsNoTracking().Where(c => c.LoanId == id).OrderBy(c => c.Id).LastAsync();
        (change.Source, change.FromClass, change.ToClass, change.Reason).ShouldBe((ClassSource.Manual, (LoanClass?)LoanClass.SpecialMention, LoanClass.Substandard, "客户经营场所已关闭"));
        change.Actor.ShouldContain("chief");
        (await Sql.ScalarAsync<long>("""SELECT count(*) FROM audit_log WHERE entity_type = 'Loan' AND entity_key = @id::text AND changes LIKE '%ManualClass%'""", ("id", id))).ShouldBe(1);

        await CloseThroughAsync(new DateOnly(2025, 4, 14));
        (await LoanAsync(id)).Class.ShouldBe(LoanClass.Substandard, "the close honours the manual class");
    }

    [Fact]
    public async Task AnOfficerRequestsAnExtension_TheChiefApprovesIt_TheScheduleIsRegenerated_AndTheOldOneKept()
    {
        var id = await TestLoans.CreateAsync(App.Services, Disbursed);
        await CloseThroughAsync(new DateOnly(2025, 4, 1)); // current, first installment not yet due
        var loan = await LoanAsync(id);
        var newMaturity = new DateOnly(2026, 9, 8); // 12 → 18 months

        (await AsAsync("finance", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, newMaturity, "r", loan.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.RiskRequesterOnly);
        (await AsAsync("officer", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, newMaturity, "", loan.Version))).Error!.Field.ShouldBe("reason");
        (await AsAsync("officer", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, new DateOnly(2026, 9, 9), "r", loan.Version))).Error!.Field.ShouldBe("newMaturity");
        (await AsAsync("officer.sh", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, newMaturity, "r", loan.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.OutOfScope, "another team's officer");
        var requested = await AsAsync("officer", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, newMaturity, "旺季回款延迟", loan.Version));
        requested.IsSuccess.ShouldBeTrue(requested.Error?.Message);
        (await AsAsync("lead", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, newMaturity, "twice", loan.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ExtensionPending);

        (await AsAsync("officer", s => s.Get<LoanRiskService>().ApproveExtensionAsync(requested.Value, "ok", loan.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.RiskChiefOnly);
        var approved = await AsAsync("chief", s => s.Get<LoanRiskService>().ApproveExtensionAsync(requested.Value, "同意展期6个月", loan.Version));
        approved.IsSuccess.ShouldBeTrue(approved.Error?.Message);

        var after = await LoanAsync(id);
        after.Installments.Count.ShouldBe(18);
        after.Installments[^1].DueDate.ShouldBe(newMaturity);
        after.Installments.Sum(i => i.Principal).ShouldBe(12_000m);
        after.Installments[0].DueDate.ShouldBe(new DateOnly(2025, 4, 8));
        after.Installments[0].Interest.ShouldBe(180.00m, "a full month on 12,000.00 at 1.5 %");
        after.Installments.SkipLast(1).Select(i => i.Principal + i.Interest).Distinct().ShouldHaveSingleItem().ShouldBeLessThan(loan.Installments[0].Principal + loan.Installments[0].Interest);

        await using var db = Sql.Db();
        var kept = await db.LoanScheduleVersions.AsNoTracking().SingleAsync(v => v.LoanId == id);
        kept.Reason.ShouldContain("Extension to 2026-09-08");
        kept.Installments.ShouldContain("2026-03-08", Case.Sensitive, "the original maturity is in the kept schedule");
        var extension = await db.LoanExtensions.AsNoTracking().SingleAsync(e => e.Id == requested.Value);
        (extension.Status, extension.EffectiveOn, extension.Comment).ShouldBe((ExtensionStatus.Approved, (DateOnly?)new DateOnly(2025, 4, 2), "同意展期6个月"));
        extension.DecidedByName.ShouldNotBeNull().ShouldContain("chief");
        (await AsAsync("chief", s => s.Get<LoanRiskService>().ApproveExtensionAsync(requested.Value, "again", after.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ExtensionDecided);
    }

    [Fact]
    public async Task ARejectedExtension_NeedsAReason_AndLeavesTheScheduleAsItWas()
    {
        var id = await TestLoans.CreateAsync(App.Services, Disbursed);
        await CloseThroughAsync(new DateOnly(2025, 4, 1));
        var loan = await LoanAsync(id);
        var requested = await AsAsync("lead", s => s.Get<LoanRiskService>().RequestExtensionAsync(id, new DateOnly(2026, 6, 8), "客户申请", loan.Version));
        (await AsAsync("chief", s => s.Get<LoanRiskService>().RejectExtensionAsync(requested.Value, " ", loan.Version))).Error!.Field.ShouldBe("comment");
        (await AsAsync("chief", s => s.Get<LoanRiskService>().RejectExtensionAsync(requested.Value, "经营无改善", loan.Version))).IsSuccess.ShouldBeTrue();
        (await LoanAsync(id)).Installments.Select(i => (i.DueDate, i.Principal, i.Interest)).ShouldBe(loan.Installments.Select(i => (i.DueDate, i.Principal, i.Interest)));
        var rows = await AsAsync("officer", s => s.Get<LoanRiskService>().ExtensionsAsync(id));
        (rows.Single().Status, rows.Single().Comment).ShouldBe((ExtensionStatus.Rejected, "经营无改善"));
    }

    [Fact]
    public async Task TheCollectionsQueue_ShowsOpenCasesInScopeWithDpd_AndActionsAreValidatedAndLogged()
    {
        var id = await TestLoans.CreateAsync(App.Services, Disbursed);
        await CloseThroughAsync(new DateOnly(2025, 4, 18)); // 10 days past due
        var loan = await LoanAsync(id);

        var queue = await AsAsync("officer", s => s.Get<CollectionsService>().QueueAsync(new CaseFilter(), 0, 50));
        var row = queue.Items.Single(r => r.LoanId == id);
        row.DaysPastDue.ShouldBe(10);
        row.OverdueAmount.ShouldBe(loan.Installments[0].Principal + loan.Installments[0].Interest);
        row.Officer.ShouldNotBeNull().ShouldContain("孙伟");
        (await AsAsync("officer.sh", s => s.Get<CollectionsService>().QueueAsync(new CaseFilter(), 0, 50))).Items.ShouldNotContain(r => r.LoanId == id);
        (await AsAsync("lead", s => s.Get<CollectionsService>().QueueAsync(new CaseFilter(MinDaysPastDue: 11), 0, 50))).Items.ShouldNotContain(r => r.LoanId == id);

        await using var db = Sql.Db();
        var version = await db.CollectionCases.Where(c => c.Id == row.CaseId).Select(c => c.Version).SingleAsync();
        (await AsAsync("finance", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.Call, "x", null, null), version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.CollectionForbidden);
        (await AsAsync("officer", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.PromiseToPay, "答应还款", new DateOnly(2020, 1, 1), 500m), version))).Error!.Field.ShouldBe("promisedDate");
        var promised = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime.AddDays(3));
        (await AsAsync("officer", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.PromiseToPay, "答应还款", promised, null), version))).Error!.Field.ShouldBe("promisedAmount");
        (await AsAsync("officer", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.Call, "", null, null), version))).Error!.Field.ShouldBe("note");

        (await AsAsync("officer", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.Call, "电话未接通", null, null), version))).IsSuccess.ShouldBeTrue();
        (await AsAsync("lead", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.Visit, "stale", null, null), version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.CollectionChanged);
        version = await db.CollectionCases.Where(c => c.Id == row.CaseId).Select(c => c.Version).SingleAsync();
        (await AsAsync("officer", s => s.Get<CollectionsService>().LogActionAsync(row.CaseId, new(CollectionActionKind.PromiseToPay, "答应月底前还清", promised, 1_100.50m), version))).IsSuccess.ShouldBeTrue();

        var updated = (await AsAsync("officer", s => s.Get<CollectionsService>().QueueAsync(new CaseFilter(), 0, 50))).Items.Single(r => r.LoanId == id);
        (updated.LastAction, updated.PromisedDate, updated.PromisedAmount).ShouldBe(((CollectionActionKind?)CollectionActionKind.PromiseToPay, (DateOnly?)promised, (decimal?)1_100.50m));
        var actions = await db.CollectionActions.AsNoTracking().Where(a => a.CaseId == row.CaseId).OrderBy(a => a.At).ToListAsync();
        actions.Select(a => (a.Kind, a.Note)).ShouldBe([(CollectionActionKind.Call, "电话未接通"), (CollectionActionKind.PromiseToPay, "答应月底前还清")]);
        actions.ShouldAllBe(a => a.ByName.Contains("孙伟"));
    }
}
