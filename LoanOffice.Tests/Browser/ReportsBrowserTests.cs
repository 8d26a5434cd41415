using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>Compliance downloads an approval report and a ZIP of reports, and checks a report on the public verify page.</summary>
[Collection(BrowserCollection.Name)]
public class ReportsBrowserTests
{
    private readonly BrowserFixture _browser;

    public ReportsBrowserTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task ComplianceDownloadsAnApprovalReportAndAZip_AndTheVerifyPageSaysItIsGenuine()
    {
        var s = _browser.Services;
        var id = await TestApplications.ToApprovalAsync(s, "杭州市西湖区", "officer", "lead");
        TestApplications.Ok(await TestApplications.As(s, "approver", x => x.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, "同意")));
        TestApplications.Ok(await TestApplications.As(s, "approver2", x => x.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, "同意")));
        TestApplications.Ok(await TestApplications.As(s, "approver3", x => x.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, "同意")));

        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, "compliance");
        await page.GotoAsync($"/applications/{id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        // the button posts the page's form (with its antiforgery token); the report arrives as a download
        var report = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-test=approval-report]").ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await report.PathAsync())!);
        bytes[..5].ShouldBe("%PDF-"u8.ToArray());
        var number = report.SuggestedFilename.Replace(".pdf", "", StringComparison.Ordinal);

        // the ZIP of today's reports from the Reports page
        await page.Locator("[data-test=nav-reports]").ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-test=bundle-count]").ClickAsync();
        await page.Locator("[data-test=bundle-download]").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "reports-01-bundle");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-test=bundle-download]").ClickAsync(),
            new PageRunAndWaitForDownloadOptions { Timeout = 120_000 });
        var zipPath = await download.PathAsync();
        (await File.ReadAllBytesAsync(zipPath))[..2].ShouldBe("PK"u8.ToArray());
        // the page follows the server writing the ZIP: "完成：ZIP 中共 n / n 份报告"
        await page.Locator("[data-test=bundle-progress-text]", new PageLocatorOptions { HasTextString = "完成" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        await BrowserFixture.ScreenshotAsync(page, "reports-01-bundle-done");

        // the verify page, as the QR code opens it: no sign-in needed
        await using var db = _browser.Sql.Db();
        var hash = db.ApprovalReports.Where(r => r.Number == number).Select(r => r.Hash).Single();
        var anonymous = await _browser.NewPageAsync();
        await anonymous.GotoAsync($"/verify/{number}?h={hash}");
        await anonymous.Locator("[data-test=verify-result]").WaitForAsync();
        (await anonymous.Locator("[data-test=verify-result]").InnerTextAsync()).ShouldContain("核验通过");
        await BrowserFixture.ScreenshotAsync(anonymous, "reports-02-verify");
        await anonymous.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
