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

    [Fact]
    public async Task Officer_SimulatesWhatTheCustomerOwes_AfterAnOnTimeAndALatePayment()
    {
        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, "officer");
        await page.Locator("[data-test=nav-calculator]").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "贷款试算" }).ClickAsync();
        await page.Locator("#sim-principal").WaitForAsync();
        await page.Locator("#sim-disbursed").FillAsync("2025-01-20");
        await page.Locator("#sim-pay-date-0").FillAsync("2025-02-20");
        await page.Locator("#sim-pay-amount-0").FillAsync("1100.16");
        await page.Locator("[data-test=sim-add-payment]").ClickAsync();
        await page.Locator("#sim-pay-date-1").FillAsync("2025-04-10");
        await page.Locator("#sim-pay-amount-1").FillAsync("500");
        await page.Locator("#sim-asof").FillAsync("2025-04-30");
        await page.Locator("#sim-asof").PressAsync("Tab");
        await page.Locator("[data-test=sim-submit]").ClickAsync();
        await page.Locator("[data-test=sim-summary]").WaitForAsync();
        (await page.Locator("[data-test=sim-dpd]").InnerTextAsync()).ShouldBe("41");
        (await page.Locator("[data-test=sim-payoff]").InnerTextAsync()).ShouldBe("¥10,978.68");
        (await page.Locator("[data-test=sim-payments] tbody tr").Nth(1).InnerTextAsync()).ShouldContain("¥317.30");
        (await page.Locator("[data-test=loan-status]").InnerTextAsync()).ShouldBe("逾期");
        await BrowserFixture.ScreenshotAsync(page, "simulator-01-overdue");

        // a payment above what is due is refused on its field, in Chinese
        await page.Locator("#sim-pay-amount-1").FillAsync("50000");
        await page.Locator("#sim-pay-amount-1").PressAsync("Tab");
        await page.Locator("[data-test=sim-submit]").ClickAsync();
        await page.GetByText("多出部分请按提前还款办理").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "simulator-02-refused");
        await page.Context.CloseAsync();
    }
}
