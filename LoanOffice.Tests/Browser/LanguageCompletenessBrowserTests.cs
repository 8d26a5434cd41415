using System.Text.RegularExpressions;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Servicing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Committee;
using Shouldly;

namespace LoanOffice.Tests.Browser;

/// <summary>
/// Every page, as the role that works in it, in Chinese: no English sentence anywhere on it (labels, messages, texts
/// built on the server); and in English: no Chinese in the page's own words (headings, labels, buttons, column titles,
/// menus), where only data people typed (names, addresses; marked <c>class="user-data"</c> inside such an element)
/// may be Chinese. Each page in each language is also laid out at a laptop's 1280×800 and a phone's 390×844: nothing
/// runs off the right edge of the page and no label is broken one character per line. A leftover fails the test with
/// the page and the text; the screenshots (<c>lang-*</c>, <c>layout-1280-*</c>, <c>layout-390-*</c>) are kept.
/// </summary>
[Collection(BrowserCollection.Name)]
public partial class LanguageCompletenessBrowserTests(BrowserFixture browser)
{
    /// <summary>Three or more English words in a row (a sentence or a phrase), in the Chinese UI.</summary>
    [GeneratedRegex(@"\b[A-Za-z][a-z]+(?:[ ,'’:/-]+[A-Za-z][a-z]+){2,}\b")]
    private static partial Regex EnglishPhrase();

    /// <summary>What may stay in Latin letters in the Chinese UI: the names of commands one types.</summary>
    [GeneratedRegex(@"\./?loanoffice [a-z-]+")]
    private static partial Regex Command();

    [GeneratedRegex(@"[\u3400-\u9fff]")]
    private static partial Regex Chinese();

    /// <summary>The page's own words in English: what the UI writes, not what people typed.</summary>
    private const string ChromeSelector =
        "nav, h1, h2, h3, h4, h5, h6, th, button, label, .mud-input-label, .mud-tab, .mud-nav-link-text, .mud-typography-h5, .mud-typography-h6, .mud-alert-message, .mud-chip-content";

    /// <summary>
    /// Reference data has an English name (products, document types, teams, regions) and staff names carry no role
    /// words: none of these Chinese names may appear anywhere on an English page.
    /// </summary>
    private static readonly string[] ChineseReferenceNames =
        ["信用贷", "抵押贷", "身份证", "收入证明", "上门照片", "房产证", "杭州团队", "上海一队", "深圳团队", "华东区", "华南区",
         "审批人员", "客户经理", "团队主管", "总经理", "等额本息", "等额本金"];

    private async Task<(Guid Application, Guid Loan, Guid CommitteeFile, Guid Meeting)> DataAsync()
    {
        var s = browser.Services;
        // a committee file on the agenda of tomorrow's meeting of 上海一队
        var committeeFile = await TestApplications.ToApprovalAsync(s, "上海市徐汇区", "officer.sh", "lead.sh");
        var ids = new List<Guid>();
        foreach (var user in new[] { "gm", "chief", "lead.sh" })
            ids.Add(await browser.Sql.ScalarAsync<Guid>("""SELECT "Id" FROM "AspNetUsers" WHERE "UserName" = @n""", ("n", user)));
        var sh = await browser.Sql.ScalarAsync<Guid>("""SELECT "Id" FROM teams WHERE "Code" = 'SH01'""");
        var meeting = (await TestApplications.As(s, "lead.sh", x => x.Get<CommitteeService>().PlanAsync(sh, Fmt.ChinaDate(TimeProvider.System).AddDays(1), ids))).Value;
        TestApplications.Ok(await TestApplications.As(s, "lead.sh", async x => await x.Get<CommitteeService>().RegisterAsync(committeeFile, meeting,
            (await TestApplications.LoadAsync(s, committeeFile)).Version)));
        var application = await TestApplications.ToApprovalAsync(s, "杭州市西湖区", "officer", "lead");
        TestApplications.Ok(await TestApplications.As(s, "approver", x => x.Get<ApprovalService>().VoteAsync(application, true, 100_000m, 12, "同意")));
        TestApplications.Ok(await TestApplications.As(s, "approver2", x => x.Get<ApprovalService>().VoteAsync(application, true, 120_000m, 12, "同意")));
        TestApplications.Ok(await TestApplications.As(s, "approver3", x => x.Get<ApprovalService>().VoteAsync(application, true, 110_000m, 18, "同意")));
        var loan = await TestLoans.CreateAsync(s, new DateOnly(2026, 9, 1));
        (await s.GetRequiredService<CloseOfBusiness>().RunThroughAsync(new DateOnly(2026, 10, 5), "test")).IsSuccess.ShouldBeTrue();
        return (application, loan, committeeFile, meeting);
    }

    private static (string User, string[] Paths)[] Walk(Guid application, Guid loan, Guid committeeFile, Guid meeting) =>
    [
        ("lead.sh", ["/committee", $"/committee/{meeting}", $"/applications/{committeeFile}"]),
        ("gm", ["/", "/cockpit", "/review", "/loans", $"/loans/{loan}", $"/applications/{application}", "/collections", "/people", "/calculator", "/reports", "/account/two-factor"]),
        ("lead", ["/pool", "/approvals", "/cockpit", "/applications?state=Pool,Assigned", "/field/map", "/field/tracks", "/field/leave"]),
        ("officer", ["/tasks"]),
        ("finance", ["/finance"]),
        ("compliance", ["/audit", "/audit/verify"]),
        ("admin", ["/admin/users", "/admin/organisation", "/admin/jobs"]),
    ];

    private static async Task<string> OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(300); // grids load their first page after the circuit starts
        return path.Trim('/').Replace('/', '-') is { Length: > 0 } name ? name : "home";
    }

    [Fact]
    public async Task EveryPage_InChinese_HasNoEnglishSentence_InEnglish_NoChineseOfItsOwn_AndHoldsAtLaptopAndPhoneWidths()
    {
        var (application, loan, committeeFile, meeting) = await DataAsync();
        var leftovers = new System.Collections.Concurrent.ConcurrentBag<string>();
        // each role walks in a browser context of its own, all at once (a user's language is stored per user, so one
        // user's two languages run one after the other)
        await Task.WhenAll(Walk(application, loan, committeeFile, meeting).Select(w => WalkAsync(w.User, w.Paths, leftovers)));

        // the public pages, signed out
        var anonymous = await browser.NewPageAsync();
        foreach (var path in new[] { "/apply", "/account/login" })
        {
            await OpenAsync(anonymous, path);
            foreach (var m in EnglishPhrase().Matches(await anonymous.Locator("body").InnerTextAsync()).Select(m => $"zh anonymous {path}: “{m.Value}”").Distinct())
                leftovers.Add(m);
        }

        await anonymous.Context.CloseAsync();
        leftovers.Distinct().Order().ShouldBeEmpty();
    }

    private static readonly (int Width, int Height)[] Widths = [(1280, 800), (390, 844)];

    /// <summary>
    /// Layout faults a user sees: the page wider than the screen (it scrolls sideways; tables scroll inside their own
    /// box), or a short label or cell (a column title, a short value, a field's label, a chip, a button, a menu entry) set one
    /// character per line.
    /// </summary>
    private const string LayoutProblems = """
        () => {
          const problems = [];
          const root = document.documentElement;
          if (root.scrollWidth > root.clientWidth + 2) {
            // name the innermost elements that stick out, so the fault can be found
            const out = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > root.clientWidth + 2
              && ![...e.children].some(c => c.getBoundingClientRect().right > root.clientWidth + 2));
            problems.push('page ' + root.scrollWidth + ' px wide on a ' + root.clientWidth + ' px screen: '
              + out.slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + (e.className.baseVal ?? e.className) + ' “' + (e.innerText || '').slice(0, 20) + '”').join('; '));
          }
          for (const e of document.querySelectorAll('th, td, label, .mud-input-label, .mud-chip-content, .mud-button-label, .mud-nav-link-text, .mud-tab, dt')) {
            if (e.offsetParent === null) continue;
            const text = (e.innerText || '').replace(/\s/g, '');
            if (text.length < 2 || text.length > 16) continue;
            const lines = new Set();
            const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              if (!n.textContent.trim() || getComputedStyle(n.parentElement).visibility !== 'visible') continue;
              const range = document.createRange(); range.selectNodeContents(n);
              for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) lines.add(Math.round(r.top));
            }
            if (lines.size >= 2 && lines.size >= text.length) problems.push('one character per line: ' + text + ' (' + e.tagName.toLowerCase() + '.' + e.className + ', ' + Math.round(e.getBoundingClientRect().width) + ' px wide: ' + e.innerHTML.slice(0, 300) + ')');
          }
          return problems;
        }
        """;

    /// <summary>The page at each width: its layout checked and its screenshot saved; then back to the usual window.</summary>
    private static async Task AtEachWidthAsync(IPage page, string language, string user, string path, string name,
        System.Collections.Concurrent.ConcurrentBag<string> leftovers)
    {
        foreach (var (width, height) in Widths)
        {
            await page.SetViewportSizeAsync(width, height);
            await page.WaitForTimeoutAsync(250); // MudBlazor's breakpoint listener re-renders the responsive parts
            foreach (var problem in await page.EvaluateAsync<string[]>(LayoutProblems)) leftovers.Add($"{language} {width} px {user} {path}: {problem}");
            await BrowserFixture.ScreenshotAsync(page, $"layout-{width}-{language}-{user}-{name}");
        }

        await page.SetViewportSizeAsync(1366, 820);
    }

    private static string ShotName(string name) => Regex.Replace(name, "[0-9a-f]{8}-[0-9a-f-]{27}", "x");

    private async Task WalkAsync(string user, string[] paths, System.Collections.Concurrent.ConcurrentBag<string> leftovers)
    {
        {
            var page = await browser.NewPageAsync();
            await browser.SignInAsync(page, user);
            try
            {
                foreach (var path in paths)
                {
                    var name = await OpenAsync(page, path);
                    var text = Command().Replace(await page.Locator("body").InnerTextAsync(), "");
                    foreach (var m in EnglishPhrase().Matches(text).Select(m => $"zh {user} {path}: “{m.Value}”").Distinct()) leftovers.Add(m);
                    await BrowserFixture.ScreenshotAsync(page, $"lang-zh-{user}-{ShotName(name)}");
                    await AtEachWidthAsync(page, "zh", user, path, ShotName(name), leftovers);
                }

                await BrowserFixture.SwitchLanguageAsync(page, "en");
                foreach (var path in paths)
                {
                    var name = await OpenAsync(page, path);
                    // the page's own words: each chrome element's text without the data inside it (marked class="user-data")
                    var texts = await page.EvaluateAsync<string[]>("""
                        sel => [...document.querySelectorAll(sel)].map(e => {
                            const c = e.cloneNode(true); c.querySelectorAll('.user-data').forEach(x => x.remove()); return c.innerText || c.textContent || ''; })
                        """, ChromeSelector);
                    // the whole page without what people typed or uploaded (file names); the organisation page is where
                    // both names of a team or region are kept, so it shows the Chinese one beside the English one
                    var body = await page.EvaluateAsync<string>("""
                        () => { const c = document.body.cloneNode(true); c.querySelectorAll('.user-data').forEach(x => x.remove()); return c.innerText || c.textContent || ''; }
                        """);
                    if (path != "/admin/organisation")
                        foreach (var n in ChineseReferenceNames.Where(body.Contains)) leftovers.Add($"en {user} {path}: “{n}”");
                    foreach (var chrome in texts)
                        if (Chinese().IsMatch(chrome)) leftovers.Add($"en {user} {path}: “{chrome.Trim()}”");
                    await BrowserFixture.ScreenshotAsync(page, $"lang-en-{user}-{ShotName(name)}");
                    await AtEachWidthAsync(page, "en", user, path, ShotName(name), leftovers);
                }
            }
            finally
            {
                await BrowserFixture.SwitchLanguageAsync(page, "zh-CN");
                await page.Context.CloseAsync();
            }
        }
    }
}
