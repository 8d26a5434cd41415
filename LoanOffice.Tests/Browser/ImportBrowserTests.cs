using System.Text;
using LoanOffice.Tests.Integration;
using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>An admin migrates customers: checks the file, sees the bad row, imports the clean ones after confirming.</summary>
[Collection(BrowserCollection.Name)]
public class ImportBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnAdmin_ChecksAFile_SeesTheBadRow_AndImportsTheCleanRows()
    {
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, "admin");
        await page.Locator("[data-test=nav-import]").ClickAsync();
        await page.WaitForURLAsync(browser.BaseUrl + "/admin/import");
        var csv = "姓名,身份证号,手机号,地址,区域,银行卡号\n"
                  + $"陈浏览,{OriginationTests.NewResidentId()},13600136000,杭州市滨江区江南大道 8 号,杭州市滨江区,\n"
                  + $"林问题,{OriginationTests.NewResidentId()},1360013,,杭州市滨江区,\n";
        // the picker answers once the page is interactive: choose the file again until the page shows it
        for (var attempt = 0; ; attempt++)
        {
            await page.Locator("input[type=file][data-test=import-file]").SetInputFilesAsync(new FilePayload
            {
                Name = "客户.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
            });
            try
            {
                await page.Locator("[data-test=import-file-name]").WaitForAsync(new LocatorWaitForOptions { Timeout = 3_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }

        await page.Locator("[data-test=import-check]").ClickAsync();
        await page.Locator("[data-test=import-outcome]").WaitForAsync();
        (await page.Locator("[data-test=import-bad]").InnerTextAsync()).ShouldBe("1");
        (await page.Locator("[data-test=import-imported]").InnerTextAsync()).ShouldBe("1");
        var problems = await page.Locator("[data-test=import-problems]").InnerTextAsync();
        problems.ShouldContain("手机号 mobile");
        problems.ShouldContain("1360013");
        (await page.Locator("[data-test=import-run]").IsDisabledAsync()).ShouldBeTrue("a file with a bad row imports nothing unless asked");
        await BrowserFixture.ScreenshotAsync(page, "import-01-checked");

        await page.Locator("input[data-test=import-clean-only], [data-test=import-clean-only] input").First.CheckAsync(new LocatorCheckOptions { Force = true });
        await page.Locator("[data-test=import-run]").ClickAsync();
        await page.Locator(".mud-dialog").WaitForAsync();
        (await page.Locator(".mud-dialog").InnerTextAsync()).ShouldContain("无法撤销");
        await page.Locator(".mud-dialog button:has-text('导入')").ClickAsync();
        await page.Locator("text=导入完成").WaitForAsync();
        (await page.Locator("[data-test=import-imported]").InnerTextAsync()).ShouldBe("1");
        await BrowserFixture.ScreenshotAsync(page, "import-02-imported");
        await page.Context.CloseAsync();
    }
}
