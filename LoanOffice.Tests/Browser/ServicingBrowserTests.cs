using LoanOffice.Tests.Support;
using Microsoft.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>An admin runs the close from the Jobs page; Finance posts a repayment on the loan page and sees where it went.</summary>
[Collection(BrowserCollection.Name)]
public class ServicingBrowserTests
{
    private readonly BrowserFixture _browser;

    public ServicingBrowserTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task AdminRunsTheCloseFromTheJobsPage_ThenFinancePostsARepaymentAndSeesTheAllocation()
    {
        var loanId = await TestLoans.CreateAsync(_browser.Services, new DateOnly(2026, 9, 1));

        // 1. the admin closes through 5 Oct from the Jobs page: installment 1 (1 Oct) is overdue for 4 days
        var admin = await _browser.NewPageAsync();
        await _browser.SignInAsync(admin, "admin");
        await admin.Locator("[data-test=nav-jobs]").ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(admin);
        var date = admin.Locator("[data-test=cob-date] input");
        await date.FillAsync("2026-10-05");
        await date.PressAsync("Enter");
        await admin.Locator("[data-test=cob-run]").ClickAsync();
        var run = admin.Locator("[data-test=cob-runs] tr", new PageLocatorOptions { HasTextString = "2026-10-05" });
        await run.Filter(new LocatorFilterOptions { HasTextString = "已完成" }).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var cells = await run.First.Locator("td").AllInnerTextsAsync();
        cells[4].ShouldNotStartWith("0 /", Case.Sensitive, "the loan was closed for the date");
        // other browser tests may leave loans for the same night: this loan's own figures come from the database
        (await _browser.Sql.ScalarAsync<DateOnly>("""SELECT "ClosedThrough" FROM loans WHERE "Id" = @id""", ("id", loanId))).ShouldBe(new DateOnly(2026, 10, 5));
        (await _browser.Sql.ScalarAsync<long>("""SELECT count(*) FROM loan_accruals WHERE "LoanId" = @id AND "BusinessDate" = DATE '2026-10-05'""", ("id", loanId)))
            .ShouldBe(2, "a penalty and a compound accrual");
        await BrowserFixture.ScreenshotAsync(admin, "servicing-01-jobs-page");
        await admin.Context.CloseAsync();

        // 2. Finance posts 2,000.00 on the loan page: penalty and compound first, then the overdue installment
        var finance = await _browser.NewPageAsync();
        await _browser.SignInAsync(finance, "finance");
        await finance.GotoAsync($"/loans/{loanId}");
        await BrowserFixture.WaitInteractiveAsync(finance);
        (await finance.Locator("[data-test=loan-class]").InnerTextAsync()).ShouldContain("关注");
        await finance.Locator("#pay-amount").FillAsync("2000");
        await finance.Locator("#pay-reference").FillAsync("BR-" + Guid.NewGuid().ToString("N")[..10]);
        await finance.Locator("[data-test=pay-submit]").ClickAsync();
        var allocation = finance.Locator("[data-test=allocation]");
        await finance.Locator("[data-test=allocation], [data-test=pay-error], .mud-input-error").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(finance, "servicing-02-loan-page-after-repayment");
        (await allocation.CountAsync()).ShouldBe(1, await finance.Locator("[data-test=pay-error], .mud-input-helper-text").AllInnerTextsAsync() is var e ? string.Join(" | ", e) : null);
        var text = await allocation.InnerTextAsync();
        text.ShouldContain("罚息");
        text.ShouldContain("逾期利息 #1");
        text.ShouldContain("逾期本金 #1");
        await finance.Context.CloseAsync();
    }

    [Fact]
    public async Task TheOfficerWorksTheCollectionsQueue_SeesTheBell_AndRequestsAnExtension_WhichTheChiefApproves()
    {
        var overdue = await TestLoans.CreateAsync(_browser.Services, new DateOnly(2026, 8, 3));
        var current = await TestLoans.CreateAsync(_browser.Services, new DateOnly(2026, 9, 20));
        (await _browser.Services.GetRequiredService<LoanOffice.Web.Features.Servicing.CloseOfBusiness>().RunThroughAsync(new DateOnly(2026, 9, 17), "test")).IsSuccess.ShouldBeTrue();
        // the officer has read everything else: the bell counts this loan's notices alone
        await _browser.Sql.ExecAsync("""UPDATE notifications SET "ReadAt" = CASE WHEN "LoanId" = @id THEN NULL ELSE now() END WHERE "Channel" = 'InApp'""", ("id", overdue));
        var expectedUnread = await _browser.Sql.ScalarAsync<long>("""SELECT count(*) FROM notifications WHERE "Channel" = 'InApp' AND "LoanId" = @id""", ("id", overdue));
        expectedUnread.ShouldBeGreaterThan(0);

        // 1. the officer: the bell counts the overdue notice; the queue lists the case with its DPD
        var officer = await _browser.NewPageAsync();
        await _browser.SignInAsync(officer, "officer");
        await BrowserFixture.WaitInteractiveAsync(officer);
        var badge = officer.Locator("[data-test=bell-badge] .mud-badge");
        await badge.WaitForAsync();
        (await badge.InnerTextAsync()).Trim().ShouldBe(expectedUnread.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await officer.Locator("[data-test=bell] button").First.ClickAsync();

        await officer.Locator("[data-test=bell-item]").First.WaitForAsync();
        await officer.WaitForTimeoutAsync(400); // the popover fades in
        await BrowserFixture.ScreenshotAsync(officer, "servicing-03-bell");
        await officer.Keyboard.PressAsync("Escape");

        await officer.Locator("[data-test=nav-collections]").ClickAsync();
        var row = officer.Locator("[data-test=collections-grid] tr", new PageLocatorOptions { HasTextString = "JJ-T-" });
        await row.First.WaitForAsync();
        var cells = await row.First.Locator("td").AllInnerTextsAsync();
        cells[4].Trim().ShouldBe("14", "due 3 Sep, closed through 17 Sep");
        await BrowserFixture.ScreenshotAsync(officer, "servicing-04-collections-queue");

        // 2. log a call on the case from the loan page
        await row.First.Locator("a").ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(officer);
        await officer.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "催收" }).ClickAsync();
        await officer.Locator("#case-note").FillAsync("电话联系客户，称下周还款");
        await officer.Locator("[data-test=case-log-submit]").ClickAsync();
        await officer.Locator("[data-test=case-actions]", new PageLocatorOptions { HasTextString = "电话联系客户" }).WaitForAsync();

        // 3. request an extension of the current loan, with the new schedule previewed first
        await officer.GotoAsync($"/loans/{current}");
        await BrowserFixture.WaitInteractiveAsync(officer);
        await officer.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "分类与展期" }).ClickAsync();
        await officer.Locator("[data-test=extension-preview]").ClickAsync();
        await officer.Locator("[data-test=extension-schedule]").WaitForAsync();
        (await officer.Locator("[data-test=extension-schedule] tbody tr").CountAsync()).ShouldBe(13, "12 → 13 months, nothing paid yet");
        await officer.Locator("#extension-reason").FillAsync("季节性经营，回款推迟");
        await officer.Locator("[data-test=extension-request]").ClickAsync();
        await officer.Locator("[data-test=extensions]", new PageLocatorOptions { HasTextString = "待审批" }).WaitForAsync();
        await officer.Context.CloseAsync();

        // 4. the chief approves: the schedule now ends a month later
        var chief = await _browser.NewPageAsync();
        await _browser.SignInAsync(chief, "chief");
        await chief.GotoAsync($"/loans/{current}");
        await BrowserFixture.WaitInteractiveAsync(chief);
        await chief.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "分类与展期" }).ClickAsync();
        await chief.Locator("[data-test=extension-approve]").ClickAsync();
        await chief.Locator(".mud-dialog button", new PageLocatorOptions { HasTextString = "批准" }).ClickAsync();
        await chief.Locator("[data-test=extensions]", new PageLocatorOptions { HasTextString = "已批准" }).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(chief, "servicing-05-extension-approved");
        await chief.Locator("[data-test=schedule]").First.IsVisibleAsync();
        await chief.Context.CloseAsync();
        await using var db = _browser.Sql.Db();
        var last = await db.LoanInstallments.Where(i => i.LoanId == current).OrderByDescending(i => i.Number).Select(i => i.DueDate).FirstAsync();
        last.ShouldBe(new DateOnly(2027, 10, 20));
    }
}
