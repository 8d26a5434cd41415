using LoanOffice.Web.Hosting;
using System.Net.Http.Json;
using LoanOffice.Data.Seeding;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Validation;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using LoanOffice.Web.Components.Shared;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Origination end to end through the real services and the real database.</summary>
public class OriginationTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public OriginationTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static int _serial = Random.Shared.Next(1000, 9000);

    /// <summary>A valid resident ID that no other test uses.</summary>
    public static string NewResidentId()
    {
        var n = Interlocked.Increment(ref _serial);
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var first17 = "330106" + "1985" + (1 + n % 12).ToString("00", ci) + (1 + n % 28).ToString("00", ci) + (n % 1000).ToString("000", ci);
        return first17 + ResidentId.CheckCharacter(first17);
    }

    public static IntakeRequest Request(string district = "杭州市西湖区", decimal amount = 100_000m, int months = 12, string? residentId = null, string product = "CREDIT") =>
        new("张伟", residentId ?? NewResidentId(), "13800138000", district, product, amount, months, "经营周转", true);

    private Task<T> As<T>(string user, Func<ActingAs, Task<T>> action) => TestApplications.As(_app.Services, user, action);

    private Task<LoanApplication> LoadAsync(Guid id) => TestApplications.LoadAsync(_app.Services, id);

    private static void Ok(Result r) => TestApplications.Ok(r);

    private static readonly byte[] Jpeg = TestApplications.Jpeg;

    private Task<Guid> ToApprovalAsync(string district, string officer, string lead, decimal amount = 100_000m) =>
        TestApplications.ToApprovalAsync(_app.Services, district, officer, lead, amount);

    private Task<Guid> SubmittedAsync(string district, string officer, string lead, decimal amount = 100_000m) =>
        TestApplications.SubmittedAsync(_app.Services, district, officer, lead, amount);

    private Task<Guid> CollectingAsync(string district, string officer, string lead, decimal amount = 100_000m) =>
        TestApplications.CollectingAsync(_app.Services, district, officer, lead, amount);

    private Task<Guid> ContractAndDisburseAsync(Guid id) => TestApplications.ContractAndDisburseAsync(_app.Services, id);

    [Fact]
    public async Task CentralizedPath_ThreeApproversWithinTenPercent_AggregatesToTheMinimum_AndDisbursesWithASchedule()
    {
        var id = await ToApprovalAsync("杭州市西湖区", "officer", "lead");
        Ok(await As("approver", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, "同意")));
        Ok(await As("approver2", s => s.Get<ApprovalService>().VoteAsync(id, true, 105_000m, 12, null)));
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Approval);
        Ok(await As("approver3", s => s.Get<ApprovalService>().VoteAsync(id, true, 110_000m, 15, null)));
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.FinalReview);
        app.ApprovedAmount.ShouldBe(100_000m);
        app.ApprovedMonths.ShouldBe(12);
        app.ApprovalRule!.ShouldContain("minimum");

        await ContractAndDisburseAsync(id);
        await using var scope = await ActingAs.UserAsync(_app.Services, "gm");
        await using var db = await scope.Get<ActorContext>().OpenAsync();
        var loan = await db.Loans.Include(l => l.Installments).SingleAsync(l => l.ApplicationId == id);
        loan.Principal.ShouldBe(100_000m);
        loan.AnnualRate.ShouldBe(0.12m);
        loan.Installments.Count.ShouldBe(12);
        loan.Installments.Sum(i => i.Principal).ShouldBe(100_000m);
        loan.DisbursedOn.ShouldBe(TestApplications.Today, "disbursed on the business date it was entered: never before the contract, never in the future");
        loan.Installments.OrderBy(i => i.Number).First().DueDate.ShouldBe(TestApplications.Today.AddMonths(1));
        loan.Installments.OrderBy(i => i.Number).First().Interest.ShouldBe(1000.00m);
        // the repayment card is kept for the bank files: a payer account finds the customer by its keyed hash
        var customer = await db.Customers.SingleAsync(c => c.Id == loan.CustomerId);
        customer.BankAccountHash.ShouldBe(scope.Get<LoanOffice.Data.Security.PersonalDataProtector>().LookupHash("4111111111111111"));
        var done = await LoadAsync(id);
        done.State.ShouldBe(ApplicationState.Disbursed);
        done.Transitions.Select(t => t.To).Distinct().ShouldBe([ApplicationState.Pool, ApplicationState.Assigned, ApplicationState.Collecting,
            ApplicationState.Submitted, ApplicationState.PreliminaryReview, ApplicationState.Approval, ApplicationState.FinalReview,
            ApplicationState.Approved, ApplicationState.Contracted, ApplicationState.Disbursed]);
        (await db.AuditEntries.CountAsync(a => a.EntityType == "LoanApplication" && a.EntityKey == id.ToString())).ShouldBeGreaterThan(8);
        (await db.AuditEntries.AnyAsync(a => a.EntityType == "Loan" && a.Actor == "user:finance")).ShouldBeTrue();
    }

    [Fact]
    public async Task CentralizedPath_SpreadUpTo30Percent_TakesTheMedian()
    {
        var id = await ToApprovalAsync("杭州市滨江区", "officer", "lead");
        Ok(await As("approver", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver2", s => s.Get<ApprovalService>().VoteAsync(id, true, 115_000m, 12, null)));
        Ok(await As("approver3", s => s.Get<ApprovalService>().VoteAsync(id, true, 125_000m, 18, null)));
        var app = await LoadAsync(id);
        app.ApprovedAmount.ShouldBe(115_000m);
        app.ApprovedMonths.ShouldBe(12);
        // The rule is stored as data and explained in the reader's language.
        var detail = (await As("gm", s => s.Get<ApplicationQueries>().DetailAsync(id))).Value!;
        var basis = ApprovalRuleText.ReadBasis(detail.Decision!)!;
        basis.Amounts.ShouldBe([100_000m, 115_000m, 125_000m]);
        basis.Terms.ShouldBe([12, 12, 18]);
        basis.AmountMedian.ShouldBe(115_000m);
        InLanguage("zh-CN", l => ApprovalRuleText.Describe(detail.Decision!, l)).ShouldBe(
            "审批金额 100,000, 115,000, 125,000：差异 25 % ≤ 30 %，取中位数 115,000，按 100 元向下取整为 115,000。 " +
            "审批期限 12, 12, 18 个月：相差 6 ≤ 6 个月，取中位数 12 向下取整为 12 个月。");
        InLanguage("en", l => ApprovalRuleText.Describe(detail.Decision!, l)).ShouldStartWith(
            "Amounts 100,000, 115,000, 125,000: spread 25 % ≤ 30 %, so the median 115,000 rounded down to a multiple of ¥100 = 115,000.");
    }

    private string InLanguage(string culture, Func<IStringLocalizer, string> render) => TestApplications.InLanguage(_app.Services, culture, render);

    [Fact]
    public async Task Withdraw_ThroughTheApi_NeedsAReason_AndTheVersionTheCallerSaw_AndIsRecorded()
    {
        var id = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var client = await _app.SignedInClientAsync("officer");
        var version = (await LoadAsync(id)).Version;
        var noReason = await client.PostAsJsonAsync($"/api/v1/applications/{id}/moves/withdraw", new { reason = " ", version });
        noReason.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        var stale = await client.PostAsJsonAsync($"/api/v1/applications/{id}/moves/withdraw", new { reason = "客户不再需要", version = version + 1 });
        stale.StatusCode.ShouldBe(System.Net.HttpStatusCode.Conflict);
        var unknown = await client.PostAsJsonAsync($"/api/v1/applications/{id}/moves/approve", new { reason = "x", version });
        unknown.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Collecting, "refusals change nothing");

        var ok = await client.PostAsJsonAsync($"/api/v1/applications/{id}/moves/withdraw", new { reason = "客户不再需要", version });
        ok.StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent, await ok.Content.ReadAsStringAsync());
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.Withdrawn);
        app.Transitions[^1].Comment.ShouldBe("客户不再需要");
    }

    [Fact]
    public async Task BusinessDates_AContractBeforeTheApproval_OrADisbursementBeforeTheContract_OrInTheFuture_AreRefused()
    {
        var id = await ToApprovalAsync("杭州市西湖区", "officer", "lead");
        foreach (var approver in new[] { "approver", "approver2", "approver3" })
            Ok(await As(approver, s => s.Get<ApprovalService>().VoteAsync(id, true, 50_000m, 12, null)));
        Ok(await As("chief", async s => await s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "同意", (await LoadAsync(id)).Version)));
        var today = TestApplications.Today;

        var early = await As("finance", async s => await s.Get<ApplicationWorkflow>().SignContractAsync(id, new DateOnly(2026, 10, 15), (await LoadAsync(id)).Version));
        (early.Error!.Code, early.Error.Field).ShouldBe((LoanOffice.Domain.Common.ErrorCodes.ContractBeforeApproval, "signedOn"));
        early.Error.Args.ShouldBe([today]);
        var future = await As("finance", async s => await s.Get<ApplicationWorkflow>().SignContractAsync(id, today.AddDays(1), (await LoadAsync(id)).Version));
        future.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.DateInFuture);
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Approved, "refusals change nothing");

        Ok(await As("finance", async s => await s.Get<ApplicationWorkflow>().SignContractAsync(id, today, (await LoadAsync(id)).Version)));
        var app = await LoadAsync(id);
        var before = await As("finance", s => s.Get<ApplicationWorkflow>().DisburseAsync(id, today.AddDays(-1), app.ApprovedAmount!.Value, "4111111111111111", "BANK-" + Guid.NewGuid().ToString("N")[..12], app.Version));
        (before.Error!.Code, before.Error.Field).ShouldBe((LoanOffice.Domain.Common.ErrorCodes.DisbursementBeforeContract, "date"));
        var later = await As("finance", s => s.Get<ApplicationWorkflow>().DisburseAsync(id, today.AddDays(2), app.ApprovedAmount!.Value, "4111111111111111", "BANK-" + Guid.NewGuid().ToString("N")[..12], app.Version));
        later.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.DateInFuture);
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Contracted);
    }

    [Fact]
    public async Task CentralizedPath_SpreadAbove30Percent_IsADisputeSettledByTheChief()
    {
        var id = await ToApprovalAsync("杭州市西湖区", "officer", "lead");
        Ok(await As("approver", s => s.Get<ApprovalService>().VoteAsync(id, true, 50_000m, 12, null)));
        Ok(await As("approver2", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver3", s => s.Get<ApprovalService>().VoteAsync(id, true, 80_000m, 24, null)));
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.Approval);
        var view = await As("chief", s => s.Get<ApprovalService>().VotesAsync(id));
        view.Value!.Decision!.Outcome.ShouldBe("Dispute");
        view.Value.Decision.AmountRule.ShouldBe("Dispute");
        view.Value.Decision.TermRule.ShouldBe("Dispute");
        view.Value.Votes.Count.ShouldBe(3);
        Ok(await As("chief", s => s.Get<ApprovalService>().SettleAsync(id, true, 70_000m, 18, "按中间意见", app.Version)));
        var settled = await LoadAsync(id);
        settled.State.ShouldBe(ApplicationState.FinalReview);
        settled.ApprovedAmount.ShouldBe(70_000m);
        settled.ApprovedMonths.ShouldBe(18);
        settled.ApprovalRule!.ShouldContain("按中间意见");
        var decision = (await As("gm", s => s.Get<ApplicationQueries>().DetailAsync(id))).Value!.Decision!;
        var zh = InLanguage("zh-CN", l => ApprovalRuleText.Describe(decision, l));
        zh.ShouldContain("差异 100 % > 30 %，审批分歧");
        zh.ShouldContain("由主管审批人员确定分歧项");
        zh.ShouldEndWith("裁定：按中间意见");

        // four eyes: the chief who settled the dispute does not also give the final review; the second chief does
        var same = await As("chief", async s => await s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "同意", (await LoadAsync(id)).Version));
        same.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.FinalReviewFourEyes);
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.FinalReview);
        LoanOffice.Web.Hosting.ErrorText.Render(same.Error!, new System.Globalization.CultureInfo("zh-CN")).ShouldContain("四眼原则");
        Ok(await As("chief2", async s => await s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "同意", (await LoadAsync(id)).Version)));
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Approved);
    }

    [Fact]
    public async Task CentralizedPath_AReject_GoesToTheChief_NeverOutvoted()
    {
        var id = await ToApprovalAsync("深圳市南山区", "officer.sz", "officer.sz"); // 深圳团队 lets officers take files themselves
        Ok(await As("approver.sz1", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver.sz2", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver.sz3", s => s.Get<ApprovalService>().VoteAsync(id, false, null, null, "负债过高")));
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.Approval);
        (await As("chief", s => s.Get<ApplicationQueries>().ChiefInboxAsync())).Items.ShouldContain(r => r.Id == id);
        Ok(await As("chief", s => s.Get<ApprovalService>().SettleAsync(id, false, null, null, "同意否决意见", app.Version)));
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Rejected);
    }

    [Fact]
    public async Task Documents_CheckedByContent_ImagesGetAnUprightThumbnail_ServedOnlyWithinScope()
    {
        var id = await CollectingAsync("杭州市西湖区", "officer", "lead");
        byte[] headerOnly = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];
        var damaged = await As("officer", s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile("身份证.jpg", "身份证", headerOnly)));
        damaged.Error!.Field.ShouldBe("file");
        LoanOffice.Web.Hosting.ErrorText.Render(damaged.Error, System.Globalization.CultureInfo.InvariantCulture).ShouldContain("cannot be read");
        var photo = await As("officer", s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile("上门照片.jpg", "上门照片", TestImages.JpegWithOrientation(6))));
        photo.IsSuccess.ShouldBeTrue(photo.Error?.Message);
        await using (var scope = await ActingAs.UserAsync(_app.Services, "gm"))
        await using (var db = await scope.Get<ActorContext>().OpenAsync())
            (await db.ApplicationDocuments.CountAsync(d => d.ApplicationId == id)).ShouldBe(1); // the damaged file left nothing behind

        var url = $"/api/v1/applications/{id}/documents/{photo.Value}";
        var lead = await _app.SignedInClientAsync("lead");
        var response = await lead.GetAsync(url + "/thumbnail");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        using (var thumb = SkiaSharp.SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync()))
            (thumb.Width, thumb.Height).ShouldBe((120, 240)); // 400×200 held upright, long edge 240
        // opened: a copy re-encoded by the server, upright, inline; the original bytes only as a download
        var opened = await lead.GetAsync(url);
        opened.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("inline");
        using (var shown = SkiaSharp.SKBitmap.Decode(await opened.Content.ReadAsByteArrayAsync()))
            (shown.Width, shown.Height).ShouldBe((200, 400));
        var original = await lead.GetAsync(url + "/original");
        original.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (await original.Content.ReadAsByteArrayAsync()).ShouldBe(TestImages.JpegWithOrientation(6)); // untouched
        foreach (var served in new[] { response, opened, original })
        {
            served.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("sandbox");
            served.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        }

        var otherTeam = await _app.SignedInClientAsync("officer.sh");
        (await otherTeam.GetAsync(url + "/thumbnail")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Refusals_OtherTeamOfficer_VoteTwice_NonMemberVote_FourEyes_MissingDocuments()
    {
        var receipt = await As("gm", s => s.Get<IntakeService>().SubmitAsync(Request("杭州市西湖区"), "WEB", null));
        var id = receipt.Value!.ApplicationId;
        // an officer of another team cannot act on the file
        var shId = await As("admin", async s => { await using var db = await s.Get<ActorContext>().OpenAsync(); return await db.Users.Where(u => u.UserName == "officer.sh").Select(u => u.Id).SingleAsync(); });
        (await As("officer.sh", async s => await s.Get<ApplicationWorkflow>().AssignAsync(id, shId, (await LoadAsync(id)).Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationOutOfScope);
        var officerId = await As("admin", async s => { await using var db = await s.Get<ActorContext>().OpenAsync(); return await db.Users.Where(u => u.UserName == "officer").Select(u => u.Id).SingleAsync(); });
        Ok(await As("lead", async s => await s.Get<ApplicationWorkflow>().AssignAsync(id, officerId, (await LoadAsync(id)).Version)));
        Ok(await As("officer", async s => await s.Get<ApplicationWorkflow>().StartCollectingAsync(id, (await LoadAsync(id)).Version)));
        var missing = await As("officer", async s => await s.Get<ApplicationWorkflow>().SubmitAsync(id, (await LoadAsync(id)).Version));
        missing.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationDocumentsMissing);
        var missingText = LoanOffice.Web.Hosting.ErrorText.Render(missing.Error, new System.Globalization.CultureInfo("zh-CN"));
        missingText.ShouldStartWith("缺少必需的资料：");
        missingText.ShouldContain("身份证");
        missingText.ShouldContain("上门照片");
        (await As("officer", s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile("fake.jpg", "身份证", "not an image"u8.ToArray())))).Error!.Field.ShouldBe("file");
        // a "PDF" that only starts like one is refused like a fake image; a real one (the app's own contract) is taken
        (await As("officer", s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile("收入证明.pdf", "收入证明", "%PDF-1.7 this is not a pdf at all"u8.ToArray()))))
            .Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.DocumentPdfUnreadable);
        var realPdf = TestPdfs.Minimal();
        Ok(await As("officer", s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile("收入证明.pdf", "收入证明", realPdf))));
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Collecting);

        var approvalId = await ToApprovalAsync("杭州市西湖区", "officer", "lead");
        Task<PagedResult<ApplicationRow>> InboxOf(string approver) => As(approver, s => s.Get<ApplicationQueries>().ApprovalInboxAsync(0, 500));
        (await InboxOf("approver")).Items.ShouldContain(r => r.Id == approvalId);
        (await InboxOf("approver.sz1")).Items.ShouldNotContain(r => r.Id == approvalId, "another team's approver group");
        Ok(await As("approver", s => s.Get<ApprovalService>().VoteAsync(approvalId, true, 100_000m, 12, null)));
        (await InboxOf("approver")).Items.ShouldNotContain(r => r.Id == approvalId, "voted in this round");
        (await InboxOf("approver2")).Items.ShouldContain(r => r.Id == approvalId);
        (await As("approver", s => s.Get<ApprovalService>().VoteAsync(approvalId, true, 100_000m, 12, null))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.VoteAlreadyVoted);
        (await As("approver.sz1", s => s.Get<ApprovalService>().VoteAsync(approvalId, true, 100_000m, 12, null))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationOutOfScope);
        // the approver cannot see the others' votes before voting; approver2 has not voted yet
        (await As("approver2", s => s.Get<ApprovalService>().VotesAsync(approvalId))).Value!.Visible.ShouldBeFalse();
        (await As("approver", s => s.Get<ApprovalService>().VotesAsync(approvalId))).Value!.Visible.ShouldBeTrue();
    }

    [Fact]
    public async Task FourEyes_TheSubmitterCannotApprove()
    {
        // an officer who is also a chief approver submits the file and then tries to confirm it
        await using var services = TestDatabase.BuildServices("test");
        var hz = await TestDatabase.TeamIdAsync(services, "HZ01");
        var both = await TestDatabase.CreateUserAsync(services, "both", LoanOffice.Domain.Organisation.Roles.LoanOfficer, hz);
        await using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(services))
        {
            var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LoanOffice.Data.Identity.AppUser>>(scope.ServiceProvider);
            await users.AddToRoleAsync((await users.FindByIdAsync(both.Id.ToString()))!, LoanOffice.Domain.Organisation.Roles.ChiefApprover);
        }

        var id = await ToApprovalAsync("杭州市西湖区", both.UserName!, "lead");
        Ok(await As("approver", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver2", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver3", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.FinalReview);
        (await As(both.UserName!, s => s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "ok", app.Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationSubmitterFourEyes);
    }

    [Fact]
    public async Task ConcurrentActions_OnTheSameVersion_TheSecondIsToldWhoChangedIt()
    {
        var id = await ToApprovalAsync("杭州市西湖区", "officer", "lead");
        Ok(await As("approver", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver2", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        Ok(await As("approver3", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        var seen = (await LoadAsync(id)).Version;
        Ok(await As("chief", s => s.Get<ApplicationWorkflow>().ReturnAsync(id, "补充流水", seen)));
        var second = await As("chief", s => s.Get<ApplicationWorkflow>().ConfirmFinalReviewAsync(id, "同意", seen));
        second.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationChanged);
        second.Error.Message.ShouldContain("郑强");
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.Collecting);
        app.ApprovedAmount.ShouldBeNull(); // figures cleared: only a new approval sets them again
    }

    [Fact]
    public async Task Reassign_ByTheLeadWithAReason_IsInTheTimeline_OthersAreRefused()
    {
        await using var services = TestDatabase.BuildServices("test");
        var hz = await TestDatabase.TeamIdAsync(services, "HZ01");
        var second = await TestDatabase.CreateUserAsync(services, "officer2", LoanOffice.Domain.Organisation.Roles.LoanOfficer, hz);
        var id = (await As("gm", s => s.Get<IntakeService>().SubmitAsync(Request("杭州市西湖区"), "WEB", null))).Value!.ApplicationId;
        var officerId = await As("admin", async s => { await using var db = await s.Get<ActorContext>().OpenAsync(); return await db.Users.Where(u => u.UserName == "officer").Select(u => u.Id).SingleAsync(); });
        Ok(await As("lead", async s => await s.Get<ApplicationWorkflow>().AssignAsync(id, officerId, (await LoadAsync(id)).Version)));
        (await As("lead", async s => await s.Get<ApplicationWorkflow>().ReassignAsync(id, second.Id, " ", (await LoadAsync(id)).Version))).Error!.Field.ShouldBe("reason");
        (await As("officer", async s => await s.Get<ApplicationWorkflow>().ReassignAsync(id, second.Id, "休假", (await LoadAsync(id)).Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationReassignLeadOnly);
        Ok(await As("lead", async s => await s.Get<ApplicationWorkflow>().ReassignAsync(id, second.Id, "原客户经理休假", (await LoadAsync(id)).Version)));
        var app = await LoadAsync(id);
        app.AssignedOfficerId.ShouldBe(second.Id);
        app.Transitions.ShouldContain(t => t.Name == "reassign" && t.Comment == "原客户经理休假");
    }

    [Fact]
    public async Task ClaimHeartbeat_KeepsTheFileHeldWithoutChangingItsVersion_AndALapsedClaimFreesIt()
    {
        await using var services = TestDatabase.BuildServices("test");
        var other = await TestDatabase.CreateUserAsync(services, "reviewer-b", LoanOffice.Domain.Organisation.Roles.Reviewer, null);
        var id = await SubmittedAsync("杭州市西湖区", "officer", "lead");
        Ok(await As("reviewer", s => s.Get<ApplicationWorkflow>().ClaimAsync(id)));
        var claimed = await LoadAsync(id);
        (claimed.ClaimExpiresAt - claimed.ClaimedAt).ShouldBe(TimeSpan.FromMinutes(15)); // Review:ClaimIdleMinutes default

        // the claim has lapsed on the row; the holder's activity keeps it alive beside the row, and the version stays
        await ExpireClaimOnRowAsync(id);
        var seen = await LoadAsync(id);
        Ok(await As("reviewer", s => s.Get<ApplicationWorkflow>().RenewClaimAsync(id)));
        (await LoadAsync(id)).Version.ShouldBe(seen.Version);
        (await As(other.UserName!, s => s.Get<ApplicationWorkflow>().ClaimAsync(id))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimed);
        (await As("gm", s => s.Get<ApplicationQueries>().DetailAsync(id))).Value!.Row.ClaimedByName.ShouldNotBeNull();
        // the holder acts on what they saw before their own heartbeat: no conflict
        Ok(await As("reviewer", s => s.Get<ApplicationWorkflow>().PassReviewAsync(id, "资料齐全", seen.Version)));
        (await LoadAsync(id)).State.ShouldBe(ApplicationState.Approval);
    }

    [Fact]
    public async Task LapsedClaim_NobodyShownAsHolder_AnotherReviewerTakesIt_AndTheFormerHolderCannotRenew()
    {
        await using var services = TestDatabase.BuildServices("test");
        var other = await TestDatabase.CreateUserAsync(services, "reviewer-c", LoanOffice.Domain.Organisation.Roles.Reviewer, null);
        var id = await SubmittedAsync("杭州市西湖区", "officer", "lead");
        Ok(await As("reviewer", s => s.Get<ApplicationWorkflow>().ClaimAsync(id)));
        await ExpireClaimOnRowAsync(id);
        (await As("gm", s => s.Get<ApplicationQueries>().DetailAsync(id))).Value!.Row.ClaimedByName.ShouldBeNull();
        Ok(await As(other.UserName!, s => s.Get<ApplicationWorkflow>().ClaimAsync(id)));
        (await LoadAsync(id)).ClaimedBy.ShouldBe(other.Id);
        (await As("reviewer", s => s.Get<ApplicationWorkflow>().RenewClaimAsync(id))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimLost);
        (await As("reviewer", async s => await s.Get<ApplicationWorkflow>().PassReviewAsync(id, null, (await LoadAsync(id)).Version))).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimed);
    }

    /// <summary>Moves the claim's expiry on the row into the past, as if the idle period had passed.</summary>
    private async Task ExpireClaimOnRowAsync(Guid id)
    {
        await using var scope = await ActingAs.UserAsync(_app.Services, "gm");
        await using var db = await scope.Get<ActorContext>().OpenAsync();
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE applications SET \"ClaimExpiresAt\" = now() - interval '1 minute' WHERE \"Id\" = {id}");
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM claim_heartbeats WHERE \"ApplicationId\" = {id}");
    }

    [Fact]
    public async Task ConcurrentClaims_OnlyOneReviewerHoldsTheFile()
    {
        await using var services = TestDatabase.BuildServices("test");
        var second = await TestDatabase.CreateUserAsync(services, "reviewer2", LoanOffice.Domain.Organisation.Roles.Reviewer, null);
        var id = await SubmittedAsync("杭州市西湖区", "officer", "lead");

        var results = await Task.WhenAll(
            As("reviewer", s => s.Get<ApplicationWorkflow>().ClaimAsync(id)),
            As(second.UserName!, s => s.Get<ApplicationWorkflow>().ClaimAsync(id)));
        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Single(r => !r.IsSuccess).Error!.Code.ShouldBeOneOf(LoanOffice.Domain.Common.ErrorCodes.ApplicationChanged, LoanOffice.Domain.Common.ErrorCodes.ApplicationClaimed, LoanOffice.Domain.Common.ErrorCodes.ApplicationDuplicateConflict);
        var app = await LoadAsync(id);
        app.State.ShouldBe(ApplicationState.PreliminaryReview);
        app.ClaimedByName.ShouldNotBeNull();
        // the other reviewer now sees who holds it
        var loser = results[0].IsSuccess ? second.UserName! : "reviewer";
        (await As(loser, s => s.Get<ApplicationWorkflow>().ClaimAsync(id))).Error!.Message.ShouldContain(app.ClaimedByName!);
    }

    [Fact]
    public async Task Intake_SameIdempotencyKeyTwice_CreatesOneApplication_AndDeduplicatesTheCustomer()
    {
        var residentId = NewResidentId();
        var key = "idem-" + Guid.NewGuid().ToString("N");
        var request = Request("深圳市福田区", residentId: residentId);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => As("gm", s => s.Get<IntakeService>().SubmitAsync(request, "WECHAT", key))));
        results.ShouldAllBe(r => r.IsSuccess);
        results.Select(r => r.Value!.ApplicationId).Distinct().Count().ShouldBe(1);
        results.Count(r => !r.Value!.Replayed).ShouldBe(1);

        var other = await As("gm", s => s.Get<IntakeService>().SubmitAsync(Request("深圳市福田区", amount: 20_000m, residentId: residentId), "WECHAT", key));
        other.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.IntakeIdempotencyConflict);
        var second = await As("gm", s => s.Get<IntakeService>().SubmitAsync(Request("深圳市福田区", amount: 20_000m, residentId: residentId), "WECHAT", null));
        second.IsSuccess.ShouldBeTrue();

        await using var scope = await ActingAs.UserAsync(_app.Services, "gm");
        await using var db = await scope.Get<ActorContext>().OpenAsync();
        var customers = await db.Applications.Where(a => a.Id == results[0].Value!.ApplicationId || a.Id == second.Value!.ApplicationId)
            .Select(a => a.CustomerId).Distinct().ToListAsync();
        customers.Count.ShouldBe(1);
        var customer = await db.Customers.SingleAsync(c => c.Id == customers[0]);
        customer.ResidentIdMasked.ShouldBe(ResidentId.Mask(residentId));
        System.Text.Encoding.UTF8.GetString(customer.ResidentIdCipher).ShouldNotContain(residentId[..6]);
        scope.Get<LoanOffice.Data.Security.PersonalDataProtector>().Decrypt(customer.ResidentIdCipher).ShouldBe(residentId);
    }

    [Theory]
    [InlineData("name", "")]
    [InlineData("residentId", "110105194912310021")]
    [InlineData("mobile", "12345")]
    [InlineData("district", "北京市朝阳区")]
    [InlineData("amount", "1000")]
    [InlineData("months", "60")]
    [InlineData("consent", "false")]
    public async Task Intake_BadInput_NamesTheField_AndStoresNothing(string field, string value)
    {
        var residentId = NewResidentId();
        var r = Request(residentId: residentId);
        r = field switch
        {
            "name" => r with { Name = value },
            "residentId" => r with { ResidentId = value },
            "mobile" => r with { Mobile = value },
            "district" => r with { District = value },
            "amount" => r with { Amount = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            "months" => r with { Months = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            _ => r with { Consent = false },
        };
        var result = await As("gm", s => s.Get<IntakeService>().SubmitAsync(r, "WEB", null));
        result.Error!.Field.ShouldBe(field);
        await using var scope = await ActingAs.UserAsync(_app.Services, "gm");
        await using var db = await scope.Get<ActorContext>().OpenAsync();
        var hash = scope.Get<LoanOffice.Data.Security.PersonalDataProtector>().LookupHash(residentId);
        (await db.Customers.AnyAsync(c => c.ResidentIdHash == hash)).ShouldBeFalse();
    }
}

public class PersonalDataRevealTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public PersonalDataRevealTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reveal_ByARoleThatNeedsIt_ReturnsTheNumbers_AndIsAudited_OthersAreRefused()
    {
        var residentId = OriginationTests.NewResidentId();
        Guid id;
        await using (var gm = await ActingAs.UserAsync(_app.Services, "gm"))
            id = (await gm.Get<IntakeService>().SubmitAsync(OriginationTests.Request(residentId: residentId), "WEB", null)).Value!.ApplicationId;

        await using (var approver = await ActingAs.UserAsync(_app.Services, "reviewer"))
            (await approver.Get<PersonalDataService>().RevealAsync(id, "核对")).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.PersonalDataRoleNotAllowed);
        await using (var compliance = await ActingAs.UserAsync(_app.Services, "compliance"))
            (await compliance.Get<PersonalDataService>().RevealAsync(id, " ")).Error!.Field.ShouldBe("reason");

        await using var finance = await ActingAs.UserAsync(_app.Services, "finance");
        var revealed = await finance.Get<PersonalDataService>().RevealAsync(id, "放款前核对身份");
        revealed.Value!.ResidentId.ShouldBe(residentId);
        revealed.Value.Mobile.ShouldBe("13800138000");
        await using var db = await finance.Get<ActorContext>().OpenAsync();
        var row = await db.AuditEntries.Where(a => a.Action == "Revealed" && a.Actor == "user:finance").OrderByDescending(a => a.Id).FirstAsync();
        row.EntityType.ShouldBe("Customer");
        row.Changes.ShouldContain("放款前核对身份");
        row.Changes.ShouldNotContain(residentId);
    }
}
