using LoanOffice.Tests.Integration;
using Microsoft.Playwright;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>The whole centralized journey in the browser, one signed-in user per browser context.</summary>
[Collection(BrowserCollection.Name)]
public class OriginationJourneyTests
{
    private static readonly byte[] Jpeg = LoanOffice.Tests.Support.TestImages.Jpeg();
    private readonly BrowserFixture _browser;

    public OriginationJourneyTests(BrowserFixture browser) => _browser = browser;

    private static Task ChooseAsync(IPage page, string selectTest, string option) => BrowserFixture.ChooseAsync(page, selectTest, option);

    private async Task<IPage> SignedInAsync(string user)
    {
        var page = await _browser.NewPageAsync();
        await _browser.SignInAsync(page, user);
        return page;
    }

    private static async Task OpenAsync(IPage page, string applicationUrl)
    {
        await page.GotoAsync(applicationUrl);
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-test=actions]").WaitForAsync();
    }

    private static async Task ExpectStateAsync(IPage page, string stateText) =>
        await page.Locator("[data-test=state-chip]", new PageLocatorOptions { HasTextString = stateText }).First.WaitForAsync();

    [Fact]
    public async Task CentralizedJourney_FromThePublicFormToADisbursedLoan()
    {
        // 1. a customer applies on the public page
        var publicPage = await _browser.NewPageAsync();
        await publicPage.GotoAsync("/apply");
        await BrowserFixture.WaitInteractiveAsync(publicPage);
        // sent empty, the form names every missing field at once
        await publicPage.Locator("[data-test=apply-submit]").ClickAsync();
        await publicPage.Locator(".mud-input-helper-text.mud-input-error").Nth(7).WaitForAsync();
        (await publicPage.Locator(".mud-input-helper-text.mud-input-error").CountAsync()).ShouldBeGreaterThanOrEqualTo(8);
        await BrowserFixture.ScreenshotAsync(publicPage, "journey-00-apply-empty");
        await publicPage.Locator("#apply-name").FillAsync("王小明");
        await publicPage.Locator("#apply-id").FillAsync(OriginationTests.NewResidentId());
        await publicPage.Locator("#apply-mobile").FillAsync("13700001111");
        await ChooseAsync(publicPage, "apply-district", "杭州市西湖区");
        await ChooseAsync(publicPage, "apply-product", "信用贷");
        await publicPage.Locator("#apply-amount").FillAsync("100000");
        await publicPage.Locator("#apply-months").FillAsync("12");
        await publicPage.Locator("#apply-purpose").FillAsync("门店装修");
        await publicPage.Locator("input[type=checkbox]").First.CheckAsync(); // the only checkbox: the consent
        await BrowserFixture.ScreenshotAsync(publicPage, "journey-01-apply");
        await publicPage.Locator("[data-test=apply-submit]").ClickAsync();
        var done = publicPage.Locator("[data-test=apply-done]");
        await done.WaitForAsync();
        var number = System.Text.RegularExpressions.Regex.Match(await done.InnerTextAsync(), "SQ\\d{14}").Value;
        number.ShouldNotBeEmpty();
        await BrowserFixture.ScreenshotAsync(publicPage, "journey-02-received");

        // 2. the team lead assigns it from the pool
        var lead = await SignedInAsync("lead");
        await lead.Locator("[data-test=nav-pool]").ClickAsync();
        await lead.Locator("[data-test=pool-table] a", new PageLocatorOptions { HasTextString = number }).ClickAsync();
        await lead.Locator("[data-test=actions]").WaitForAsync();
        var url = lead.Url;
        await BrowserFixture.ScreenshotAsync(lead, "journey-03-pool-file");
        await ChooseAsync(lead, "assign-officer", "孙伟");
        await lead.Locator("[data-test=assign]").ClickAsync();
        await ExpectStateAsync(lead, "已分配");

        // a reviewer has the queue open before the file is submitted
        var reviewer = await SignedInAsync("reviewer");
        await reviewer.Locator("[data-test=nav-review]").ClickAsync();
        await reviewer.Locator("[data-test=review-grid]").WaitForAsync();
        (await reviewer.Locator("[data-test=review-grid] a", new PageLocatorOptions { HasTextString = number }).CountAsync()).ShouldBe(0);

        // 3. the officer collects the documents and submits
        var officer = await SignedInAsync("officer");
        await officer.Locator("[data-test=nav-tasks]").ClickAsync();
        await officer.Locator("[data-test=tasks-table] a", new PageLocatorOptions { HasTextString = number }).ClickAsync();
        await officer.Locator("[data-test=start-collecting]").ClickAsync();
        await ExpectStateAsync(officer, "收集资料");
        await officer.Locator("[data-test=submit-file]").ClickAsync();
        (await officer.Locator("[data-test=action-error]").InnerTextAsync()).ShouldContain("身份证"); // refused: documents missing
        // a scan over the 10 MB limit is refused with a message naming the limit, before it is sent
        await ChooseAsync(officer, "doc-type", "身份证");
        await officer.Locator("input[type=file][data-test=doc-upload]").Last.SetInputFilesAsync(new FilePayload { Name = "大扫描件.pdf", MimeType = "application/pdf", Buffer = new byte[11 * 1024 * 1024] });
        (await officer.Locator("[data-test=doc-error]").InnerTextAsync()).ShouldContain("10 MB");
        foreach (var doc in new[] { "身份证", "收入证明", "上门照片" })
        {
            await ChooseAsync(officer, "doc-type", doc);
            await officer.Locator("input[type=file][data-test=doc-upload]").Last.SetInputFilesAsync(new FilePayload { Name = doc + ".jpg", MimeType = "image/jpeg", Buffer = Jpeg });
            await officer.Locator("[data-test=doc-link]", new PageLocatorOptions { HasTextString = doc + ".jpg" }).WaitForAsync();
        }

        // each photo shows as a thumbnail that really loaded (naturalWidth > 0), linking to the original
        await officer.WaitForFunctionAsync("() => { const i = [...document.querySelectorAll('[data-test=doc-thumbnail]')]; return i.length === 3 && i.every(x => x.complete && x.naturalWidth > 0); }");
        await BrowserFixture.ScreenshotAsync(officer, "journey-04-officer-file");
        await officer.Locator("[data-test=submit-file]").ClickAsync();
        await ExpectStateAsync(officer, "已提交");

        // 4. the reviewer's open queue shows it without a reload (PostgreSQL NOTIFY)
        await reviewer.Locator("[data-test=review-grid] a", new PageLocatorOptions { HasTextString = number }).WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        (await reviewer.Locator("[data-test=review-grid]").InnerTextAsync()).ShouldContain("已提交"); // still in the user's language after a live update
        await BrowserFixture.ScreenshotAsync(reviewer, "journey-05-review-queue-live");
        await reviewer.Locator("[data-test=review-grid] a", new PageLocatorOptions { HasTextString = number }).ClickAsync();
        await reviewer.Locator("[data-test=start-review]").ClickAsync(); // opening the file changed nothing; this claims it
        await reviewer.Locator("[data-test=claimed-by]").WaitForAsync();
        await reviewer.Locator("[data-test=pass-review]").ClickAsync();
        await ExpectStateAsync(reviewer, "审批中");

        // 5. three approvers vote (within 10 % → the minimum)
        foreach (var (approver, amount) in new[] { ("approver", "100000"), ("approver2", "105000"), ("approver3", "110000") })
        {
            var page = await SignedInAsync(approver);
            await OpenAsync(page, url);
            await page.Locator("#vote-amount").FillAsync(amount);
            await page.Locator("#vote-months").FillAsync("12");
            await page.Locator("#vote-comment").FillAsync("同意");
            if (approver == "approver") await BrowserFixture.ScreenshotAsync(page, "journey-06-vote-form");
            await page.Locator("[data-test=vote-submit]").ClickAsync();
            // after voting the votes are no longer blind; after the last vote the aggregation moves the file on
            if (approver == "approver3") await ExpectStateAsync(page, "终审");
            else await page.Locator("[data-test=votes-table]").WaitForAsync();
            await page.Context.CloseAsync();
        }

        // 6. the chief confirms in final review
        var chief = await SignedInAsync("chief");
        await OpenAsync(chief, url);
        await ExpectStateAsync(chief, "终审");
        (await chief.Locator("[data-test=approval-rule]").InnerTextAsync()).ShouldContain("取最低金额"); // explained in the reader's language
        await BrowserFixture.ScreenshotAsync(chief, "journey-07-final-review");
        await chief.Locator("[data-test=confirm-final]").ClickAsync();
        await ExpectStateAsync(chief, "已批准");

        // 7. finance records the contract and disburses
        var finance = await SignedInAsync("finance");
        await OpenAsync(finance, url);
        await finance.Locator("[data-test=sign-contract]").ClickAsync();
        await ExpectStateAsync(finance, "已签约");
        // a wrong card and no reference: both fields say so, and no confirmation is asked before they are right
        (await finance.Locator("[data-test=disburse-amount]").InnerTextAsync()).ShouldContain("¥100,000.00");
        await finance.Locator("#disburse-account").FillAsync("4111111111111112");
        await finance.Locator("[data-test=disburse]").ClickAsync();
        await finance.Locator(".mud-input-helper-text.mud-input-error").Nth(1).WaitForAsync();
        (await finance.Locator(".mud-dialog").CountAsync()).ShouldBe(0, "no confirmation before the fields are right");
        await BrowserFixture.ScreenshotAsync(finance, "journey-07-disburse-refused");
        await finance.Locator("#disburse-account").FillAsync("4111111111111111");
        await finance.Locator("#disburse-reference").FillAsync("ICBC-" + Guid.NewGuid().ToString("N")[..10]);
        await finance.Locator("[data-test=disburse]").ClickAsync();
        await finance.Locator(".mud-dialog .mud-button-root", new PageLocatorOptions { HasTextString = "放款" }).Last.ClickAsync();
        await ExpectStateAsync(finance, "已放款");
        (await finance.Locator("[data-test=loan-number]").InnerTextAsync()).ShouldStartWith("JJ");
        await BrowserFixture.ScreenshotAsync(finance, "journey-08-disbursed");
        foreach (var p in new[] { publicPage, lead, reviewer, officer, chief, finance }) await p.Context.CloseAsync();
    }

    [Fact]
    public async Task DisputedVotes_TheChiefSeesEveryVoteAndTheRule_AndSetsTheFigures()
    {
        var id = await PrepareForApprovalAsync();
        var url = "/applications/" + id;
        foreach (var (approver, amount, months) in new[] { ("approver", "50000", "12"), ("approver2", "100000", "12"), ("approver3", "80000", "24") })
        {
            var page = await SignedInAsync(approver);
            await OpenAsync(page, url);
            await page.Locator("#vote-amount").FillAsync(amount);
            await page.Locator("#vote-months").FillAsync(months);
            await page.Locator("[data-test=vote-submit]").ClickAsync();
            await page.Locator("[data-test=votes-table]").WaitForAsync(); // blind until voted: now the votes show (the file waits for the chief)
            await page.Context.CloseAsync();
        }

        var chief = await SignedInAsync("chief");
        await OpenAsync(chief, url);
        var panel = chief.Locator("[data-test=dispute-panel]");
        await panel.WaitForAsync();
        (await panel.Locator("[data-test=votes-table] [data-test=vote-row]").CountAsync()).ShouldBe(3);
        // every column of the votes inside the card: nothing scrolls or is cut off
        (await panel.Locator("[data-test=votes-table] .mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth")).ShouldBeTrue();
        var table = await panel.Locator("[data-test=votes-table]").BoundingBoxAsync();
        var card = await panel.BoundingBoxAsync();
        (table!.X + table.Width).ShouldBeLessThanOrEqualTo(card!.X + card.Width + 1);
        (await panel.Locator("[data-test=dispute-rule]").InnerTextAsync()).ShouldContain("审批分歧");
        await chief.Locator("#settle-amount").FillAsync("70000");
        await chief.Locator("#settle-months").FillAsync("18");
        await chief.Locator("#settle-comment").FillAsync("取折中意见");
        await BrowserFixture.ScreenshotAsync(chief, "dispute-01-chief");
        await chief.Locator("[data-test=settle-approve]").ClickAsync();
        await ExpectStateAsync(chief, "终审");
        (await chief.Locator("[data-test=approved-figures]").InnerTextAsync()).ShouldContain("¥70,000.00");
        await BrowserFixture.ScreenshotAsync(chief, "dispute-02-settled");
        await chief.Context.CloseAsync();
    }

    [Fact]
    public async Task AReviewerActiveOnTheFile_KeepsTheClaimAlive_WithoutChangingTheFile()
    {
        var id = await PrepareForApprovalAsync(passReview: false);
        var reviewer = await SignedInAsync("reviewer");
        await OpenAsync(reviewer, "/applications/" + id);
        await reviewer.Locator("[data-test=start-review]").ClickAsync();
        await reviewer.Locator("[data-test=claimed-by]").WaitForAsync();
        var opened = await ClaimAsync(id);
        opened.Heartbeat.ShouldBeNull();

        await Task.Delay(1_200); // the browser tests' report interval is one second
        await reviewer.Locator("[data-test=actions]").ClickAsync(); // activity on the page (not on a button)
        var deadline = DateTime.UtcNow.AddSeconds(10);
        (DateTimeOffset? ExpiresAt, uint Version, DateTimeOffset? Heartbeat) now;
        do
        {
            await Task.Delay(200);
            now = await ClaimAsync(id);
        } while (now.Heartbeat is null && DateTime.UtcNow < deadline);
        now.Heartbeat.ShouldNotBeNull("the page reports activity and the claim is renewed");
        now.Heartbeat!.Value.ShouldBeGreaterThan(opened.ExpiresAt!.Value);
        now.Version.ShouldBe(opened.Version);
        await reviewer.Context.CloseAsync();
    }

    private async Task<(DateTimeOffset? ExpiresAt, uint Version, DateTimeOffset? Heartbeat)> ClaimAsync(Guid id)
    {
        await using var s = await LoanOffice.Tests.Support.ActingAs.UserAsync(_browser.Services, "gm");
        await using var db = await s.Get<LoanOffice.Web.Hosting.ActorContext>().OpenAsync();
        var row = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Applications.Where(a => a.Id == id).Select(a => new { a.ClaimExpiresAt, a.Version }));
        var beat = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
            db.ClaimHeartbeats.Where(h => h.ApplicationId == id).Select(h => (DateTimeOffset?)h.ExpiresAt));
        return (row.ClaimExpiresAt, row.Version, beat);
    }

    /// <summary>Intake → review passed through the services (the journey test covers those screens).</summary>
    private async Task<Guid> PrepareForApprovalAsync(string district = "杭州市西湖区", string officer = "officer", string lead = "lead", bool passReview = true)
    {
        async Task<T> As<T>(string user, Func<LoanOffice.Tests.Support.ActingAs, Task<T>> f)
        {
            await using var s = await LoanOffice.Tests.Support.ActingAs.UserAsync(_browser.Services, user);
            return await f(s);
        }

        async Task<uint> Version(Guid app) => await As("gm", async s =>
        {
            await using var db = await s.Get<LoanOffice.Web.Hosting.ActorContext>().OpenAsync();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.Applications.Where(a => a.Id == app).Select(a => a.Version));
        });

        var id = (await As("gm", s => s.Get<LoanOffice.Web.Features.Applications.IntakeService>()
            .SubmitAsync(OriginationTests.Request(district), "WEB", null))).Value!.ApplicationId;
        var officerId = await As("admin", async s =>
        {
            await using var db = await s.Get<LoanOffice.Web.Hosting.ActorContext>().OpenAsync();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.UserName == officer).Select(u => u.Id));
        });
        (await As(lead, async s => await s.Get<LoanOffice.Web.Features.Applications.ApplicationWorkflow>().AssignAsync(id, officerId, await Version(id)))).IsSuccess.ShouldBeTrue();
        (await As(officer, async s => await s.Get<LoanOffice.Web.Features.Applications.ApplicationWorkflow>().StartCollectingAsync(id, await Version(id)))).IsSuccess.ShouldBeTrue();
        foreach (var doc in new[] { "身份证", "收入证明", "上门照片" })
            (await As(officer, s => s.Get<LoanOffice.Web.Features.Applications.ApplicationWorkflow>().UploadAsync(id, new LoanOffice.Web.Features.Applications.UploadedFile(doc + ".jpg", doc, Jpeg)))).IsSuccess.ShouldBeTrue();
        (await As(officer, async s => await s.Get<LoanOffice.Web.Features.Applications.ApplicationWorkflow>().SubmitAsync(id, await Version(id)))).IsSuccess.ShouldBeTrue();
        if (!passReview) return id;
        (await As("reviewer", s => s.Get<LoanOffice.Web.Features.Applications.ApplicationWorkflow>().ClaimAsync(id))).IsSuccess.ShouldBeTrue();
        (await As("reviewer", async s => await s.Get<LoanOffice.Web.Features.Applications.ApplicationWorkflow>().PassReviewAsync(id, null, await Version(id)))).IsSuccess.ShouldBeTrue();
        return id;
    }
}
