using LoanOffice.Tests.Support;
using Microsoft.Playwright;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>Ctrl+K opens the search anywhere; typing a loan number and Enter opens the loan.</summary>
[Collection(BrowserCollection.Name)]
public class GlobalSearchBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task CtrlK_TypeALoanNumber_Enter_OpensTheLoan()
    {
        var loanId = await TestLoans.CreateAsync(browser.Services, new DateOnly(2026, 11, 3));
        await using var db = browser.Sql.Db();
        var number = await db.Loans.Where(l => l.Id == loanId).Select(l => l.Number).SingleAsync();

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, "officer");
        await page.Locator("[data-test=search-open][data-shortcut=on]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("Control+k");
        var box = page.Locator("#global-search");
        await box.WaitForAsync();
        await box.FillAsync(number);
        await page.Locator("[data-test=search-hit]", new PageLocatorOptions { HasTextString = number }).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "search-01-hits");
        await box.PressAsync("Enter");
        await page.WaitForURLAsync(browser.BaseUrl + $"/loans/{loanId}");
        (await page.Locator("[data-test=loan-number]").InnerTextAsync()).ShouldBe(number);
        await page.Context.CloseAsync();
    }
}
