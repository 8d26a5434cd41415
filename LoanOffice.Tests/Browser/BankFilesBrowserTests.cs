using System.Text;
using LoanOffice.Tests.Integration;
using LoanOffice.Web.Features.Import;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>Finance describes a bank's file, uploads it, posts the matched line, and assigns the unmatched one from suspense.</summary>
[Collection(BrowserCollection.Name)]
public class BankFilesBrowserTests(BrowserFixture browser)
{
    private static ILocator Input(IPage page, string test) => page.Locator($"input[data-test={test}], [data-test={test}] input").First;

    /// <summary>A card number the Luhn check accepts.</summary>
    private static string WithCheckDigit(string body)
    {
        for (var d = 0; d <= 9; d++)
            if (LoanOffice.Domain.Validation.BankCardNumber.LuhnValid(body + d)) return body + d;
        throw new InvalidOperationException();
    }

    [Fact]
    public async Task Finance_UploadsABankFile_PostsTheMatchedLine_AndAssignsTheOtherFromSuspense()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var id = OriginationTests.NewResidentId();
        var card = WithCheckDigit("6230" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var number = "BF-" + tag;
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
            (await importer.ImportAsync(LoanOffice.Domain.Import.ImportKind.Customers, "c.csv", Encoding.UTF8.GetBytes(
                $"姓名,身份证号,手机号,地址,区域,银行卡号\n韩梅,{id},13900001111,,杭州市西湖区,{card}\n"), new(), ImportActor.System("test"))).Value!.Imported.ShouldBe(1);
            (await importer.ImportAsync(LoanOffice.Domain.Import.ImportKind.Loans, "l.csv", Encoding.UTF8.GetBytes(
                "外部借据号,客户身份证号,产品代码,团队代码,客户经理,本金,年利率,还款方式,期数,放款日,罚息上浮,宽限天数\n"
                + $"{number},{id},CREDIT,HZ01,officer,12000,0.12,EqualPrincipal,12,2026-10-05,,\n"), new(), ImportActor.System("test"))).Value!.Imported.ShouldBe(1);
        }

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, "finance");
        await page.Locator("[data-test=nav-bank-files]").ClickAsync();
        await page.WaitForURLAsync(browser.BaseUrl + "/finance/bank-files");

        // the bank's layout: semicolon-separated with a header, dates as yyyyMMdd
        await page.Locator("[data-test=bank-mapping-edit]").ClickAsync();
        await page.Locator("[data-test=map-save]").ClickAsync();
        // every missing field says so, at the field
        await page.Locator("[data-test=bank-mapping-form]", new PageLocatorOptions { HasText = "请填写银行代码" }).WaitForAsync();
        (await page.Locator("[data-test=bank-mapping-form]").InnerTextAsync()).ShouldContain("请填写流水号列");
        await Input(page, "map-code").FillAsync("B" + tag);
        await Input(page, "map-name").FillAsync("测试银行" + tag);
        await Input(page, "map-date").FillAsync("日期");
        await Input(page, "map-amount").FillAsync("金额");
        await Input(page, "map-account").FillAsync("账号");
        await Input(page, "map-reference").FillAsync("流水号");
        await Input(page, "map-memo").FillAsync("摘要");
        await page.Locator("[data-test=map-save]").ClickAsync();
        await page.Locator("[data-test=bank-mapping-form]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });

        var file = "日期,金额,账号,流水号,摘要\n"
                   + $"2026-11-05,1120.00,{card},R{tag}-1,还款 {number}\n"
                   + $"2026-11-06,300.00,6222999900001111,R{tag}-2,代付\n";
        for (var attempt = 0; ; attempt++)
        {
            await page.Locator("input[type=file][data-test=bank-file]").SetInputFilesAsync(new FilePayload { Name = "bank.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(file) });
            try { await page.Locator("[data-test=bank-upload]").WaitForAsync(new LocatorWaitForOptions { Timeout = 3_000 }); break; }
            catch (TimeoutException) when (attempt < 4) { }
        }

        (await page.Locator("[data-test=bank-line][data-status=Matched]").CountAsync()).ShouldBe(1);
        (await page.Locator("[data-test=bank-line][data-status=Unmatched]").CountAsync()).ShouldBe(1);
        await BrowserFixture.ScreenshotAsync(page, "bank-01-uploaded");
        await page.Locator("[data-test=bank-post]").ClickAsync();
        await page.Locator(".mud-dialog").WaitForAsync();
        (await page.Locator(".mud-dialog").InnerTextAsync()).ShouldContain("¥1,120.00");
        await page.Locator(".mud-dialog button:has-text('入账')").ClickAsync();
        await page.Locator("[data-test=bank-line][data-status=Posted]").WaitForAsync();

        var row = page.Locator("[data-test=suspense-row]", new PageLocatorOptions { HasText = $"R{tag}-2" });
        await row.Locator("input[data-test=assign-number], [data-test=assign-number] input").First.FillAsync(number);
        await row.Locator("[data-test=assign]").ClickAsync();
        await page.Locator(".mud-dialog button:has-text('分配并入账')").ClickAsync();
        await row.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        (await page.Locator("[data-test=bank-line][data-status=Posted]").CountAsync()).ShouldBe(2);
        await BrowserFixture.ScreenshotAsync(page, "bank-02-posted");
        await page.Context.CloseAsync();
    }
}
