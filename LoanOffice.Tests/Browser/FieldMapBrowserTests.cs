using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>
/// The team lead opens the field map: the officer who signed in through the app's API is a marker on it (grid and
/// scale, no tile server here); a point posted through the API moves the marker without a reload.
/// </summary>
[Collection(BrowserCollection.Name)]
public class FieldMapBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheLead_SeesTheOfficerOnTheMap_AndTheMarkerMovesWhenAPointArrives()
    {
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        var phone = await FieldDeviceClient.RegisterAsync(http, "officer", () => DateTimeOffset.UtcNow);
        await phone.SignInAsync(30.2741, 120.1551);
        await phone.PingAsync(1, 30.2750, 120.1560);

        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, "lead");
        await page.Locator("[data-test=nav-field-map]").ClickAsync();
        await page.WaitForURLAsync(browser.BaseUrl + "/field/map");
        var row = page.Locator("[data-test=field-officer]", new() { HasTextString = "孙伟" });
        await row.WaitForAsync();
        (await row.InnerTextAsync()).ShouldContain("在线");
        (await page.Locator("[data-test=field-officers]").InnerTextAsync()).ShouldNotContain("朱琳", customMessage: "another team's officer");
        var officerId = await row.GetAttributeAsync("data-officer");
        await page.Locator("[data-test=field-map] .leaflet-control-scale").WaitForAsync();
        await page.Locator("[data-test=field-map] .leaflet-tooltip", new() { HasTextString = "孙伟" }).WaitForAsync();

        async Task<double[]?> MarkerAsync() => await page.EvaluateAsync<double[]?>(
            "async id => (await import('./js/fieldmap.js')).position(document.querySelector('[data-test=field-map]'), id)", officerId);
        (await MarkerAsync())!.ShouldBe([30.2750, 120.1560], 1e-9);
        await BrowserFixture.ScreenshotAsync(page, "field-01-map");

        var url = page.Url;
        await phone.PingAsync(2, 30.2900, 120.1700);
        for (var i = 0; i < 50 && (await MarkerAsync())?[0] != 30.2900; i++) await page.WaitForTimeoutAsync(100);
        (await MarkerAsync())!.ShouldBe([30.2900, 120.1700], 1e-9, "the marker moved as the point arrived");
        page.Url.ShouldBe(url, "no reload");
        await BrowserFixture.ScreenshotAsync(page, "field-02-map-moved");

        // the officer's day on the tracks page: the path drawn through both points, from the sign-in
        var today = LoanOffice.Web.Components.Shared.Fmt.ChinaDate(TimeProvider.System);
        await page.GotoAsync($"/field/tracks?officer={officerId}&date={LoanOffice.Web.Components.Shared.Fmt.Date(today)}");
        await page.Locator("[data-test=track-summary]").WaitForAsync();
        await page.Locator("[data-test=track-map] path.lo-track").WaitForAsync();
        (await page.EvaluateAsync<int>("async () => (await import('./js/fieldmap.js')).trackLength(document.querySelector('[data-test=track-map]'))"))
            .ShouldBeGreaterThanOrEqualTo(2);
        (await page.Locator("[data-test=track-summary]").InnerTextAsync()).ShouldContain("签到");
        (await page.Locator("[data-test=track-csv]").GetAttributeAsync("href"))!.ShouldContain("format=csv");
        await BrowserFixture.ScreenshotAsync(page, "field-03-track");

        // leave asked from the app today and tomorrow: the lead approves it on the leave page, the calendar and the map show it
        var leave = await phone.SendAsync("/api/v1/field/leave", new { type = "Personal", from = today, to = today.AddDays(1), reason = "家中有事" });
        leave.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await leave.Content.ReadAsStringAsync());
        await page.Locator("[data-test=nav-field-leave]").ClickAsync();
        await page.WaitForURLAsync(browser.BaseUrl + "/field/leave");
        var waiting = page.Locator("[data-test=leave-waiting-row]", new() { HasTextString = "孙伟" });
        await waiting.WaitForAsync();
        (await waiting.InnerTextAsync()).ShouldContain("2 天");
        await waiting.Locator("[data-test=leave-approve]").ClickAsync();
        await page.Locator(".mud-dialog").WaitForAsync();
        (await page.Locator(".mud-dialog").InnerTextAsync()).ShouldContain("孙伟");
        await page.Locator(".mud-dialog button:has-text('批准')").ClickAsync();
        await page.Locator("[data-test=leave-waiting]", new() { HasTextString = "暂无待审批" }).WaitForAsync();
        var calendarRow = page.Locator("[data-test=leave-calendar-row]", new() { HasTextString = "孙伟" });
        await calendarRow.WaitForAsync();
        (await calendarRow.Locator("td.on-leave").CountAsync()).ShouldBeGreaterThanOrEqualTo(1);
        await BrowserFixture.ScreenshotAsync(page, "field-04-leave");

        await page.Locator("[data-test=nav-field-map]").ClickAsync();
        await page.Locator("[data-test=field-officer]", new() { HasTextString = "孙伟" }).Locator("[data-test=field-on-leave]").WaitForAsync();

        await phone.SendAsync("/api/v1/field/sign-out", new { at = DateTimeOffset.UtcNow, latitude = 30.29, longitude = 120.17, accuracy = 8 });
    }
}
