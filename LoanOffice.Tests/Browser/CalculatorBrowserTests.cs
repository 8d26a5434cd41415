using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class CalculatorBrowserTests
{
    private readonly BrowserFixture _browser;

    public CalculatorBrowserTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task Officer_QuotesACustomer_SeesScheduleTotalsAndChart()
    {
        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, "officer");
        await page.Locator("[data-test=nav-calculator]").ClickAsync();
        await page.Locator("#calc-principal").WaitForAsync();
        await page.Locator("#calc-principal").FillAsync("10000");
        await page.Locator("#calc-rate").FillAsync("8");
        await page.Locator("#calc-months").FillAsync("10");
        await page.Locator("#calc-months").PressAsync("Tab");
        await page.Locator("[data-test=calc-submit]").ClickAsync();
        var table = page.Locator("[data-test=schedule-table]");
        await table.WaitForAsync();
        (await table.Locator("tbody tr").CountAsync()).ShouldBe(10);
        (await page.Locator("[data-test=calc-total-interest]").InnerTextAsync()).ShouldBe("¥370.34");
        (await table.Locator("tbody tr").First.InnerTextAsync()).ShouldContain("¥1,037.03");
        (await page.Locator("[data-test=calc-chart] svg").CountAsync()).ShouldBeGreaterThan(0);
        await BrowserFixture.ScreenshotAsync(page, "calculator");
        await page.Context.CloseAsync();
    }
}
