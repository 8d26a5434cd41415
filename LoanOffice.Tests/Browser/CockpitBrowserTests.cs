using Microsoft.Extensions.DependencyInjection;
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
        // the details fill in after the headline
        await page.Locator("[data-test=tile-on-time]").WaitForAsync();
        await page.Locator("[data-test=cockpit-vintages]").WaitForAsync();
        (await page.Locator("[data-test=cockpit-details-loading]").CountAsync()).ShouldBe(0);
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

        // a loan lent three months before a past month-end and never paid, the close run through that night: the
        // vintage curves show its month, and that night's PAR30 opens the loans of that night, adding up to the figure
        var asOf = LoanOffice.Web.Components.Shared.Fmt.LastEndedBusinessDate(TimeProvider.System);
        var monthEnd = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-1).AddDays(-1);
        await LoanOffice.Tests.Support.TestLoans.CreateAsync(browser.Services, monthEnd.AddMonths(-3));
        (await browser.Services.GetRequiredService<LoanOffice.Web.Features.Servicing.CloseOfBusiness>().RunThroughAsync(monthEnd, "test")).IsSuccess.ShouldBeTrue();
        await page.GotoAsync("/cockpit");
        await page.Locator("[data-test=cockpit-vintage-curves] [data-test=vintage-curve]").First.WaitForAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        // and drawn: a line per disbursement month against months on book
        await page.Locator("[data-test=cockpit-vintage-chart] svg").First.WaitForAsync();
        (await page.Locator("[data-test=cockpit-vintage-chart] svg path").CountAsync()).ShouldBeGreaterThan(2, "the grid and at least one curve");
        await page.Locator("[data-test=cockpit-vintage-chart]").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "cockpit-07-vintage-curves");
        var past = page.Locator("[data-test=cockpit-date] input");
        await past.FillAsync(LoanOffice.Web.Components.Shared.Fmt.Date(monthEnd));
        await past.PressAsync("Enter");
        await page.Locator("[data-test=cockpit-asof]").ClickAsync(); // the typed date is taken when the field loses focus
        await page.Locator("[data-test=cockpit-snapshot]").WaitForAsync();
        var pastAmount = (await page.Locator("[data-test=tile-par30] [data-test=tile-caption]").InnerTextAsync()).Trim();
        (await page.Locator("[data-test=tile-outstanding] a").CountAsync()).ShouldBe(0, "a past date's outstanding counts healthy loans: no list");
        await page.Locator("[data-test=tile-par30] [data-test=tile-value]").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/loans?") && u.Contains("asOf=" + LoanOffice.Web.Components.Shared.Fmt.Date(monthEnd)));
        await page.Locator("[data-test=drill-principal]").WaitForAsync();
        (await page.Locator("[data-test=drill-principal]").InnerTextAsync()).Trim().ShouldBe(pastAmount, "that night's loans behind PAR30 add up to its amount");
        await BrowserFixture.ScreenshotAsync(page, "cockpit-06-past-par30-loans");

        // a file comes in for 杭州团队 (the lead's team): it waits in the pool
        await using (var gm = await LoanOffice.Tests.Support.ActingAs.UserAsync(browser.Services, "gm"))
            (await gm.Get<LoanOffice.Web.Features.Applications.IntakeService>().SubmitAsync(
                LoanOffice.Tests.Integration.OriginationTests.Request("杭州市西湖区"), "WEB", null)).IsSuccess.ShouldBeTrue();

        var lead = await browser.NewPageAsync();
        await browser.SignInAsync(lead, "lead");
        await lead.GotoAsync("/cockpit");
        await lead.Locator("[data-test=tile-par30]").WaitForAsync();
        (await lead.Locator("[data-test=cockpit-breakdown]").InnerTextAsync()).ShouldContain("客户经理");
        (await lead.Locator("[data-test=cockpit-region]").CountAsync()).ShouldBe(0, "a team lead has no regions to choose");
        await lead.Locator("[data-test=cockpit-officers] [data-test=league-on-time]").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(lead, "cockpit-04-lead");

        // a pipeline count opens the files behind it: as many as it says, longest waiting first
        await lead.Locator("[data-test=cockpit-stages]").WaitForAsync();
        var links = lead.Locator("[data-test=stage-files]");
        ILocator? stage = null;
        for (var i = 0; i < await links.CountAsync() && stage is null; i++)
            if ((await links.Nth(i).InnerTextAsync()).Trim() != "0") stage = links.Nth(i);
        stage.ShouldNotBeNull("the demo team has files in progress");
        var files = (await stage.InnerTextAsync()).Trim();
        await stage.ClickAsync();
        await lead.WaitForURLAsync(u => u.Contains("/applications?state="));
        await lead.Locator("[data-test=files-count]").WaitForAsync();
        (await lead.Locator("[data-test=files-count]").InnerTextAsync()).ShouldContain(files);
        (await lead.Locator("[data-test=files-grid] [data-test=app-link]").CountAsync()).ShouldBe(Math.Min(25, int.Parse(files, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));
        await BrowserFixture.ScreenshotAsync(lead, "cockpit-05-lead-files");
    }
}
