using LoanOffice.Domain.Applications;
using LoanOffice.Tests.Support;
using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>
/// The loan committee as its secretary (the team lead of 上海一队) works it: plan a meeting with members picked from
/// the staff, put a file on its agenda from the file, record the decision with each member's vote, see the meeting done.
/// </summary>
[Collection(BrowserCollection.Name)]
public class CommitteeBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Secretary_PlansAMeeting_PutsAFileOnTheAgenda_AndRecordsTheDecision()
    {
        var id = await TestApplications.ToApprovalAsync(browser.Services, "上海市浦东新区", "officer.sh", "lead.sh", 120_000m);
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, "lead.sh");
        // the file waits in the approvals page's committee list
        await page.Locator("[data-test=nav-approvals]").ClickAsync();
        await page.Locator("[data-test=committee-inbox] a").First.WaitForAsync();
        await page.Locator("[data-test=nav-committee]").ClickAsync();
        await page.Locator("[data-test=meetings-grid]").WaitForAsync();
        await BrowserFixture.WaitInteractiveAsync(page);

        // plan: too few members is refused on the field, then three members are picked from the staff
        await page.Locator("[data-test=plan-meeting]").ClickAsync();
        await page.Locator("[data-test=plan-meeting-dialog]").WaitForAsync();
        await BrowserFixture.ChooseAsync(page, "plan-members", "陈建国");
        await page.Locator("[data-test=plan-submit]").ClickAsync();
        await page.Locator("[data-test=plan-meeting-dialog] .mud-input-helper-text.mud-input-error", new PageLocatorOptions { HasTextString = "至少选择 3 名" }).WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "committee-01-plan-refused");
        await BrowserFixture.ChooseAsync(page, "plan-members", "郑强", "杨帆");
        await page.Locator("[data-test=plan-submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/committee/[0-9a-f-]{36}$"));
        var meetingUrl = page.Url;
        (await page.Locator("[data-test=meeting-members]").InnerTextAsync()).ShouldBe("陈建国、郑强、杨帆");
        await page.Locator("[data-test=agenda-empty]").WaitForAsync();
        (await page.Locator("[data-test=meeting-status]").InnerTextAsync()).ShouldBe("待开会");

        // the file: put on the meeting's agenda, then the decision with each member's vote
        await page.GotoAsync($"/applications/{id}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-test=committee-register]").ClickAsync();
        await page.Locator("[data-test=file-agenda]").WaitForAsync();
        (await page.Locator("[data-test=file-agenda]").InnerTextAsync()).ShouldContain("已列入议程");
        await page.Locator("[data-test=committee-record]").ClickAsync();
        (await page.Locator("[data-test=votes-error]").InnerTextAsync()).ShouldBe("请登记每位成员的表决意见。");
        var votes = page.Locator("[data-test=member-vote]");
        (await votes.CountAsync()).ShouldBe(3);
        await votes.Nth(0).Locator("[data-test=member-approve]").ClickAsync();
        await votes.Nth(1).Locator("[data-test=member-approve]").ClickAsync();
        await votes.Nth(2).Locator("[data-test=member-reject]").ClickAsync();
        await votes.Nth(2).Locator("input[type=text]").FillAsync("收入偏低");
        await page.Locator("#committee-amount").FillAsync("100000");
        await page.Locator("#committee-minutes").FillAsync("经营流水稳定，同意按 10 万元放款。");
        await BrowserFixture.ScreenshotAsync(page, "committee-02-decision");
        await page.Locator("[data-test=committee-record]").ClickAsync();
        await page.Locator("[data-test=approved-figures]").WaitForAsync();
        (await page.Locator("[data-test=approved-figures]").InnerTextAsync()).ShouldStartWith("¥100,000.00 / 12");
        (await TestApplications.LoadAsync(browser.Services, id)).State.ShouldBe(ApplicationState.FinalReview);
        (await page.Locator("[data-test=approval-rule]").InnerTextAsync()).ShouldContain("杨帆 否决（收入偏低）");

        // the meeting: done, with the decision and the minutes
        await page.GotoAsync(meetingUrl);
        await BrowserFixture.WaitInteractiveAsync(page);
        (await page.Locator("[data-test=meeting-status]").InnerTextAsync()).ShouldBe("已完成");
        (await page.Locator("[data-test=agenda-decision]").InnerTextAsync()).ShouldStartWith("批准：¥100,000.00 / 12 个月");
        await page.Locator("[data-test=agenda-item] .mud-expand-panel-header").ClickAsync();
        await page.Locator("[data-test=recorded-votes]").GetByText("收入偏低").WaitForAsync();
        await page.WaitForTimeoutAsync(400); // the panel slides open
        await BrowserFixture.ScreenshotAsync(page, "committee-03-meeting-done");
        await page.Context.CloseAsync();
    }
}
