using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>Officers open links in the field on a phone (390×844): the menu, the user menu and a page work there.</summary>
[Collection(BrowserCollection.Name)]
public class PhoneBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task OnAPhone_TheMenuOpensAndNavigates_AndTheUserMenuStaysOnScreen_AndSignsOut()
    {
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await browser.SignInAsync(page, "officer");
        await page.Locator("[data-test=open-items]").WaitForAsync();
        // the drawer is closed on a phone: the page has the whole width, and the app bar's buttons are all on screen
        (await page.Locator("[data-test=nav-tasks]").IsVisibleAsync()).ShouldBeFalse();
        var user = await page.Locator("[data-test=user-menu] button").BoundingBoxAsync();
        (user!.X + user.Width).ShouldBeLessThanOrEqualTo(390);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        await BrowserFixture.ScreenshotAsync(page, "phone-01-home");

        await page.Locator("[data-test=menu-toggle]").ClickAsync();
        await page.Locator("[data-test=nav-tasks]").ClickAsync();
        await page.WaitForURLAsync(browser.BaseUrl + "/tasks");
        await page.Locator("[data-test=tasks-table]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        // the menu closes once a page is chosen, so the page is not hidden behind it
        await page.WaitForFunctionAsync("() => document.querySelector('[data-test=nav-tasks]').getBoundingClientRect().right <= 0");
        await page.WaitForTimeoutAsync(300); // the overlay fades
        await BrowserFixture.ScreenshotAsync(page, "phone-02-tasks");

        await page.Locator("[data-test=user-menu] button").ClickAsync();
        await page.Locator("[data-test=sign-out]").WaitForAsync();
        var signOut = await page.Locator("[data-test=sign-out]").BoundingBoxAsync();
        (signOut!.X + signOut.Width).ShouldBeLessThanOrEqualTo(390);
        await page.WaitForTimeoutAsync(300); // the menu fades in
        await BrowserFixture.ScreenshotAsync(page, "phone-03-user-menu");
        // signing out is the menu's form POST (with this site's token): back on the sign-in page
        await page.Locator("[data-test=sign-out]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.Context.CloseAsync();
    }
}
