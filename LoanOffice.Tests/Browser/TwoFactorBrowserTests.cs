using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>A user sets up two-factor sign-in from the user menu (QR code and key), keeps the recovery codes, and signs in with a code.</summary>
[Collection(BrowserCollection.Name)]
public class TwoFactorBrowserTests
{
    private readonly BrowserFixture _browser;

    public TwoFactorBrowserTests(BrowserFixture browser) => _browser = browser;

    [Fact]
    public async Task SetUpFromTheUserMenu_ThenSignInAsksForTheCode()
    {
        await using var services = TestDatabase.BuildServices("test", _browser.Sql.ConnectionString);
        var user = await TestDatabase.CreateUserAsync(services, "mfa", Roles.Reviewer, null);
        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, user.UserName!, "a-long-test-password");

        // the user menu's item (a click while the menu is still opening can be lost: the menu is opened again then)
        for (var attempt = 0; !page.Url.EndsWith("/account/two-factor", StringComparison.Ordinal) && attempt < 3; attempt++)
        {
            if (!await page.Locator("[data-test=user-two-factor]").IsVisibleAsync()) await page.Locator("[data-test=user-menu]").ClickAsync();
            await page.Locator("[data-test=user-two-factor]").ClickAsync();
            try
            {
                await page.WaitForURLAsync("**/account/two-factor", new PageWaitForURLOptions { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // not yet: once more
            }
        }

        await page.Locator("[data-test=twofactor-qr]").WaitForAsync();
        var key = (await page.Locator("[data-test=twofactor-key]").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "twofactor-01-setup");
        await page.Locator("#twofactor-code").FillAsync("000000");
        await page.Locator("[data-test=twofactor-enable]").ClickAsync();
        await page.GetByText("验证码不匹配").First.WaitForAsync(); // the field's own error, in the user's language
        await page.Locator("#twofactor-code").FillAsync(Totp.Code(key));
        await page.Locator("[data-test=twofactor-enable]").ClickAsync();
        await page.Locator("[data-test=twofactor-codes] code").Nth(9).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "twofactor-02-recovery-codes");

        // signing in again: the password, then the code
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/account/login");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("#login-username").FillAsync(user.UserName!);
        await page.Locator("#login-password").FillAsync("a-long-test-password");
        await page.Locator("[data-test=login-submit]").ClickAsync();
        await page.Locator("#login-code").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "twofactor-03-code-step");
        await page.Locator("#login-code").FillAsync(Totp.Code(key));
        await page.Locator("[data-test=login-submit]").ClickAsync();
        await page.WaitForURLAsync(_browser.BaseUrl + "/");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-test=user-menu]").WaitForAsync();
        await page.Context.CloseAsync();
    }
}
