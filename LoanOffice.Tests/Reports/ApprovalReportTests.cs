using System.Diagnostics;
using System.Net;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using UglyToad.PdfPig;

namespace LoanOffice.Tests.Reports;

/// <summary>The approval report (审批报告) of an application taken through centralized approval, and its verification.</summary>
public class ApprovalReportTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public ApprovalReportTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Intake → review → three votes (100k, 105k, 110k: within 10 % → the minimum) → final review → contract → disbursed.</summary>
    private async Task<Guid> ApprovedApplicationAsync()
    {
        var s = _app.Services;
        var id = await TestApplications.ToApprovalAsync(s, "杭州市西湖区", "officer", "lead");
        TestApplications.Ok(await TestApplications.As(s, "approver", x => x.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, "经营稳定，同意")));
        TestApplications.Ok(await TestApplications.As(s, "approver2", x => x.Get<ApprovalService>().VoteAsync(id, true, 105_000m, 12, "还款来源充足")));
        TestApplications.Ok(await TestApplications.As(s, "approver3", x => x.Get<ApprovalService>().VoteAsync(id, true, 110_000m, 15, null)));
        await TestApplications.ContractAndDisburseAsync(s, id);
        return id;
    }

    private Task<LoanOffice.Domain.Common.Result<GeneratedReport>> GenerateAsync(string user, Guid id) =>
        TestApplications.As(_app.Services, user, x => x.Get<ApprovalReportService>().GenerateAsync(id));

    private Task<Verification> VerifyAsync(string number, string? code) =>
        TestApplications.As(_app.Services, "gm", x => x.Get<ApprovalReportService>().VerifyAsync(number, code));

    [Fact]
    public async Task TheReport_ShowsEveryFieldOfTheApplication_EveryVote_TheRuleAndTheFinalReview_AndIsRecorded()
    {
        var id = await ApprovedApplicationAsync();
        var app = await TestApplications.LoadAsync(_app.Services, id);
        var report = await GenerateAsync("compliance", id);
        report.IsSuccess.ShouldBeTrue(report.Error?.Message);
        var (number, hash, pdf) = report.Value!;
        var saved = TestPdfs.Save("approval-report", pdf);

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => p.Text.Replace(" ", "", StringComparison.Ordinal)).ToList();
        var text = string.Concat(pages);
        foreach (var expected in new[]
                 {
                     number, app.Number, "张伟", "13800138000"[..3] + "****" + "8000", "杭州市西湖区", "¥100,000.00", "12个月", "经营周转", "信用贷", "等额本息EqualInstallment",
                     "吴昊", "钱坤", "许诺", "经营稳定，同意", "还款来源充足", "¥105,000.00", "¥110,000.00",
                     "资料齐全", "郑强", "批准金额Approvedamount:¥100,000.00", ApprovalReportService.ShortCode(hash),
                 })
            text.ShouldContain(expected.Replace(" ", "", StringComparison.Ordinal));
        for (var i = 0; i < pages.Count; i++) pages[i].ShouldContain($"第{i + 1}页/共{pages.Count}页");
        document.Information.Title.ShouldBe("审批报告 " + number);
        pdf.Length.ShouldBeLessThan(300 * 1024);

        await using var db = TestSql.Shared.Db();
        var row = await db.ApprovalReports.AsNoTracking().SingleAsync(r => r.Number == number);
        (row.ApplicationId, row.Hash).ShouldBe((id, hash));
        row.GeneratedByName.ShouldContain("compliance");

        // page 1 as an image, to look at
        var png = Path.Combine(TestPdfs.Directory, "approval-report-page");
        using var render = Process.Start(new ProcessStartInfo("pdftoppm", ["-r", "90", "-png", "-f", "1", "-l", "1", saved, png]))!;
        await render.WaitForExitAsync();
        render.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task AReportVerifies_UntilTheRecordChanges_AndAForgedCodeFails()
    {
        var id = await ApprovedApplicationAsync();
        var (number, hash, _) = (await GenerateAsync("gm", id)).Value!;

        var genuine = await VerifyAsync(number, hash);
        (genuine.Found, genuine.CodeMatches, genuine.RecordMatches).ShouldBe((true, true, true));
        genuine.GeneratedByRoles.ShouldBe(["GeneralManager"], "the generator's role, never a staff name");
        (await VerifyAsync(number, " " + ApprovalReportService.ShortCode(hash).ToLowerInvariant().Replace("·", " ", StringComparison.Ordinal) + " ")).CodeMatches
            .ShouldBeTrue("typed with spaces and in lower case");
        var noCode = await VerifyAsync(number, null);
        (noCode.CodeGiven, noCode.CodeMatches, noCode.ApplicationNumber).ShouldBe((false, false, (string?)null), "without the code the page only asks for it");
        (await VerifyAsync(number, ApprovalReportService.ShortCode(hash))).CodeMatches.ShouldBeTrue("the 16 characters printed in the footer");

        var forged = await VerifyAsync(number, "0123456789abcdef");
        (forged.CodeGiven, forged.CodeMatches, forged.ApplicationNumber).ShouldBe((true, false, (string?)null), "a wrong code shows nothing of the report");
        (await VerifyAsync("BG00000000000000", hash)).Found.ShouldBeFalse();

        // the record is changed afterwards (an approver's comment edited in the database): the old report no longer matches
        await TestSql.Shared.ExecAsync("""UPDATE approval_votes SET "Comment" = '已修改' WHERE "ApplicationId" = @id AND "Comment" = '还款来源充足'""", ("id", id));
        var changed = await VerifyAsync(number, hash);
        (changed.CodeMatches, changed.RecordMatches).ShouldBe((true, false));

        // a report generated now matches the record as it stands
        var (fresh, freshHash, _) = (await GenerateAsync("gm", id)).Value!;
        (await VerifyAsync(fresh, freshHash)).RecordMatches.ShouldBeTrue();
    }

    [Fact]
    public async Task OnlyWhoCanSeeTheApplication_GetsItsReport_AndTheVerifyPageIsPublic()
    {
        var id = await TestApplications.ToApprovalAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        (await GenerateAsync("officer.sh", id)).Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationOutOfScope);

        var compliance = await _app.SignedInClientAsync("compliance");
        // a link cannot record a report: only the page's button (a POST with the antiforgery token) does
        (await compliance.GetAsync($"/api/v1/applications/{id}/approval-report.pdf")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        await using (var before = TestSql.Shared.Db())
            (await before.ApprovalReports.CountAsync(r => r.ApplicationId == id)).ShouldBe(0);
        var response = await compliance.PostAsync($"/api/v1/applications/{id}/approval-report.pdf", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes[..5].ShouldBe("%PDF-"u8.ToArray());
        var number = response.Content.Headers.ContentDisposition!.FileName!.Trim('"').Replace(".pdf", "", StringComparison.Ordinal);

        await using var db = TestSql.Shared.Db();
        var hash = await db.ApprovalReports.Where(r => r.Number == number).Select(r => r.Hash).SingleAsync();
        var anonymous = _app.CreateClient();
        var page = await anonymous.GetStringAsync($"/verify/{number}?h={hash}");
        page.ShouldContain(number);
        page.ShouldContain("data-test=\"verify-result\"");
        (await (await _app.SignedInClientAsync("officer.sh")).PostAsync($"/api/v1/applications/{id}/approval-report.pdf", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // the same file downloaded again while nothing changed: the same report, no second record
        var again = await compliance.PostAsync($"/api/v1/applications/{id}/approval-report.pdf", null);
        again.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldBe(number + ".pdf");
        await using (var after = TestSql.Shared.Db())
            (await after.ApprovalReports.CountAsync(r => r.ApplicationId == id)).ShouldBe(1);
    }

    [Fact]
    public async Task TheQrCodesAddress_ComesFromConfiguration_NeverFromTheRequestsHost()
    {
        var id = await TestApplications.ToApprovalAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var compliance = await _app.SignedInClientAsync("compliance");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/applications/{id}/approval-report.pdf");
        request.Headers.Host = "evil.example";
        var response = await compliance.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Concat(document.GetPages().Select(p => p.Text.Replace(" ", "", StringComparison.Ordinal)));
        text.ShouldNotContain("evil.example");
        text.ShouldContain("127.0.0.1:5080/verify/");
    }

    [Fact]
    public async Task TheVerifyPage_GivesTheSameAnswerForAnUnknownNumberAndAWrongCode()
    {
        var id = await TestApplications.ToApprovalAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var (number, _, _) = (await GenerateAsync("gm", id)).Value!;
        var wrong = await VerifyAsync(number, "0000000000000000");
        var unknown = await VerifyAsync("BG20990101999999", "0000000000000000");
        (wrong.Found, wrong.CodeMatches, wrong.ApplicationNumber).ShouldBe((false, false, null));
        (unknown.Found, unknown.CodeMatches, unknown.ApplicationNumber).ShouldBe((false, false, null));
        var anonymous = _app.CreateClient();
        var a = await anonymous.GetStringAsync($"/verify/{number}?h=0000000000000000");
        var b = await anonymous.GetStringAsync("/verify/BG20990101999999?h=0000000000000000");
        static string Answer(string page) => System.Text.RegularExpressions.Regex.Match(page, "data-test=\"verify-result\"[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Answer(a).ShouldNotBeEmpty();
        Answer(a).ShouldBe(Answer(b));
        a.ShouldNotContain("verify-generated");
    }
}
