using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class SignInBrowserTests
{
    private readonly BrowserFixture _browser;

    public SignInBrowserTests(BrowserFixture browser) => _browser = browser;

    public static TheoryData<string, string[]> DemoUsers => new()
    {
        { "admin", ["nav-home", "nav-field-map", "nav-field-tracks", "nav-people", "nav-users", "nav-organisation", "nav-jobs", "nav-import", "nav-calculator", "nav-audit"] },
        { "gm", ["nav-home", "nav-cockpit", "nav-field-map", "nav-field-tracks", "nav-field-leave", "nav-review", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator", "nav-reports"] },
        { "director", ["nav-home", "nav-cockpit", "nav-field-map", "nav-field-tracks", "nav-field-leave", "nav-review", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator", "nav-reports"] },
        { "lead", ["nav-home", "nav-cockpit", "nav-field-map", "nav-field-tracks", "nav-field-leave", "nav-pool", "nav-review", "nav-approvals", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator"] },
        { "officer", ["nav-home", "nav-field-leave", "nav-pool", "nav-tasks", "nav-loans", "nav-collections", "nav-people", "nav-calculator"] },
        { "reviewer", ["nav-home", "nav-review", "nav-people", "nav-calculator"] },
        { "approver", ["nav-home", "nav-approvals", "nav-committee", "nav-people", "nav-calculator"] },
        { "chief", ["nav-home", "nav-approvals", "nav-committee", "nav-loans", "nav-people", "nav-calculator"] },
        { "finance", ["nav-home", "nav-finance", "nav-bank-files", "nav-loans", "nav-people", "nav-calculator"] },
        { "compliance", ["nav-home", "nav-cockpit", "nav-review", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator", "nav-reports", "nav-audit"] },
    };

    private static async Task<List<string>> MenuAsync(IPage page)
    {
        await page.Locator("[data-test=nav-home]").WaitForAsync();
        var links = page.Locator("[data-test=nav-menu] [data-test^=nav-]");
        var result = new List<string>();
        for (var i = 0; i < await links.CountAsync(); i++) result.Add((await links.Nth(i).GetAttributeAsync("data-test"))!);
        return result;
    }

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task SignIn_AsDemoRole_ShowsExactlyThatRolesMenu_InBothLanguages(string userName, string[] expectedMenu)
    {
        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, userName);
        try
        {
            await SwitchAndBackAsync(page, userName, expectedMenu);
        }
        finally
        {
            // whatever happened, the user's stored language is Chinese again for the tests after this one
            await BrowserFixture.SwitchLanguageAsync(page, "zh-CN");
            await page.Context.CloseAsync();
        }
    }

    private async Task SwitchAndBackAsync(IPage page, string userName, string[] expectedMenu)
    {
        (await MenuAsync(page)).ShouldBe(expectedMenu);
        (await page.Locator("[data-test=user-menu] button").InnerTextAsync()).ShouldContain(userName);
        (await page.Locator("[data-test=nav-home]").InnerTextAsync()).ShouldContain("首页");
        // the home page opens with the user's own open items, each a count linking to its list
        await page.Locator("[data-test=open-items] [data-test=open-count]").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, $"home-{userName}-zh");

        // Switch to English through the language menu: every label follows, the menu stays the same.
        await BrowserFixture.SwitchLanguageAsync(page, "en");
        page.Url.ShouldBe(_browser.BaseUrl + "/");
        await page.Locator("[data-test=nav-home]", new PageLocatorOptions { HasTextString = "Home" }).WaitForAsync();
        (await MenuAsync(page)).ShouldBe(expectedMenu);
        (await page.Locator("[data-test=home-title]").InnerTextAsync()).ShouldStartWith("Welcome");
        (await page.ContentAsync()).ShouldNotContain("首页");
        await BrowserFixture.ScreenshotAsync(page, $"home-{userName}-en");

        // Back to Chinese (the choice is stored with the user).
        await BrowserFixture.SwitchLanguageAsync(page, "zh-CN");
        await page.Locator("[data-test=nav-home]", new PageLocatorOptions { HasTextString = "首页" }).WaitForAsync();
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsTheErrorAndStaysOnTheSignInPage()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("#login-username").FillAsync("reviewer");
        await page.Locator("#login-password").FillAsync("definitely-wrong");
        await page.Keyboard.PressAsync("Enter");
        var error = page.Locator("[data-test=login-error]");
        await error.WaitForAsync();
        (await error.InnerTextAsync()).ShouldContain("用户名或密码不正确");
        page.Url.ShouldContain("/account/login");
        await BrowserFixture.ScreenshotAsync(page, "login-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AdminPages_ListUsersAndTeams_AndOfficerIsRefused()
    {
        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, "admin");
        await page.Locator("[data-test=nav-users]").ClickAsync();
        try
        {
            await page.Locator("[data-test=users-grid]").GetByText("approver.sz1").WaitForAsync();
        }
        catch (TimeoutException)
        {
            await BrowserFixture.ScreenshotAsync(page, "FAILED-admin-users");
            throw;
        }
        await BrowserFixture.ScreenshotAsync(page, "admin-users");
        // an access token for an integration: made for a user, its secret shown once, then revoked after a confirmation
        await page.Locator("[data-test=users-grid] tr", new PageLocatorOptions { HasTextString = "finance" }).Locator("[data-test=user-tokens]").First.ClickAsync();
        await page.Locator("[data-test=tokens-dialog]").WaitForAsync();
        await page.Locator("#token-name").FillAsync("browser-" + Guid.NewGuid().ToString("N")[..8]);
        await page.Locator("[data-test=token-create]").ClickAsync();
        (await page.Locator("#token-secret").InputValueAsync()).ShouldStartWith("lo_");
        await page.Locator("[data-test=token-row]").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-token-created");
        await page.Locator("[data-test=token-revoke]").First.ClickAsync();
        await page.Locator(".mud-message-box button", new PageLocatorOptions { HasTextString = "吊销" }).ClickAsync();
        await page.Locator("[data-test=token-row]", new PageLocatorOptions { HasTextString = "已于" }).First.WaitForAsync();
        await page.Locator("[data-test=tokens-close]").ClickAsync();
        await page.Locator("[data-test=tokens-dialog]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await page.Locator("[data-test=nav-organisation]").ClickAsync();
        await page.Locator("[data-test=teams-table]").GetByText("杭州团队").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-organisation");
        await page.Locator("[data-test=nav-audit]").ClickAsync();
        await page.Locator("[data-test=audit-grid] tbody tr").First.WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "audit-trail");
        await page.Context.CloseAsync();

        var officer = await _browser.NewPageAsync();
        await _browser.SignInAsync(officer, "officer");
        await officer.GotoAsync("/admin/users");
        await officer.Locator("[data-test=forbidden]").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(officer, "forbidden-officer");
        await officer.Context.CloseAsync();
    }
}
