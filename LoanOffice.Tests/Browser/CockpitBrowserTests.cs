using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>
/// The general manager opens the cockpit, reads PAR30 and opens the loans behind it (the same amount); in English too;
/// the team lead sees the team by officer.
/// </summary>
[Collection(BrowserCollection.Name)]
public class CockpitBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheGm_ReadsPar30_AndOpensTheLoansBehindIt_InBothLanguages_AndTheTeamLeadSeesTheTeamByOfficer()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, "gm");
        await page.Locator("[data-test=nav-cockpit]").ClickAsync();
        await page.WaitForURLAsync(browser.BaseUrl + "/cockpit");
        var par30 = page.Locator("[data-test=tile-par30]");
        await par30.WaitForAsync();
        (await page.Locator("[data-test=cockpit-asof]").InnerTextAsync()).ShouldContain("日终");
        (await page.Locator("[data-test=cockpit-breakdown]").InnerTextAsync()).ShouldContain("华东区", customMessage: "the company by region");
        var amount = (await par30.Locator("[data-test=tile-caption]").InnerTextAsync()).Trim();
        (await page.Locator("[data-test=cockpit-export]").GetAttributeAsync("href")).ShouldBe("/api/v1/dashboard.xlsx");
        await BrowserFixture.ScreenshotAsync(page, "cockpit-01-gm");

        await par30.Locator("[data-test=tile-value]").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/loans?") && u.Contains("dpdFrom=31"));
        await page.Locator("[data-test=drill-principal]").WaitForAsync();
        (await page.Locator("[data-test=drill-principal]").InnerTextAsync()).Trim().ShouldBe(amount, "the loans behind PAR30 add up to its amount");
        (await page.Locator("[data-test=loans-drilldown]").InnerTextAsync()).ShouldContain("逾期超过 30 天", customMessage: "the filter in words");
        (await page.Locator("[data-test=drill-export]").GetAttributeAsync("href"))!.ShouldStartWith("/api/v1/loans/export.xlsx?");
        await BrowserFixture.ScreenshotAsync(page, "cockpit-02-par30-loans");

        try
        {
            await BrowserFixture.SwitchLanguageAsync(page, "en");
            await page.GotoAsync("/cockpit");
            await page.Locator("[data-test=tile-par30]").WaitForAsync();
            (await page.Locator("[data-test=tile-npl]").InnerTextAsync()).ShouldContain("NPL ratio");
            (await page.Locator("[data-test=cockpit-classes]").InnerTextAsync()).ShouldNotContain("次级");
            await BrowserFixture.ScreenshotAsync(page, "cockpit-03-gm-en");
        }
        finally
        {
            await BrowserFixture.SwitchLanguageAsync(page, "zh-CN");
        }

        var lead = await browser.NewPageAsync();
        await browser.SignInAsync(lead, "lead");
        await lead.GotoAsync("/cockpit");
        await lead.Locator("[data-test=tile-par30]").WaitForAsync();
        (await lead.Locator("[data-test=cockpit-breakdown]").InnerTextAsync()).ShouldContain("客户经理");
        (await lead.Locator("[data-test=cockpit-region]").CountAsync()).ShouldBe(0, "a team lead has no regions to choose");
        await BrowserFixture.ScreenshotAsync(lead, "cockpit-04-lead");
    }
}
