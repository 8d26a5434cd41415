using LoanOffice.Tests.Support;
using Microsoft.Playwright;
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
        await TestLoans.ArchivePastLoansAsync();
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
        cells[4].ShouldStartWith("1 /", Case.Sensitive, "one loan closed for the date");
        cells[5].ShouldBe("2", "a penalty and a compound accrual");
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
}
