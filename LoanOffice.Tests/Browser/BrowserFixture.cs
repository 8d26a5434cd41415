using LoanOffice.Tests.Architecture;
using LoanOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LoanOffice.Tests.Browser;

/// <summary>The real app on a Kestrel port plus Debian's Chromium driven by Playwright (no browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime, IDisposable
{
    private AppFactory? _app;
    private IPlaywright? _playwright;
    private string? _connection;

    public IBrowser Browser { get; private set; } = default!;
    public IServiceProvider Services => _app!.Services;

    /// <summary>SQL on the browser host's own database (a copy of the template, so parallel tests never show up on its screens).</summary>
    public TestSql Sql => _app!.Sql;
    public string BaseUrl { get; private set; } = string.Empty;
    public static string ScreenshotDir { get; } = Path.Combine(DomainIsolationTests.RepoRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        _connection = await TestDatabase.CreateIsolatedAsync("browser");
        _app = new AppFactory { Connection = _connection };
        _app.Settings["Review:ActivityReportSeconds"] = "1"; // so a test sees the claim heartbeat without waiting a minute
        _app.UseKestrel(0);
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        Directory.CreateDirectory(ScreenshotDir);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 820 },
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        // the content security policy must not block anything the app itself needs: a refusal fails the next screenshot
        var refusals = Refusals.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (refusals) refusals.Add(message.Text);
        };
        return page;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Refusals = new();

    /// <summary>Clicks sent before the Blazor circuit is interactive are lost: wait for the layout's marker.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("#app-interactive[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public async Task SignInAsync(IPage page, string userName, string password = "loanoffice-demo-2026")
    {
        await page.GotoAsync("/account/login");
        await WaitInteractiveAsync(page);
        await page.Locator("#login-username").FillAsync(userName);
        await page.Locator("#login-password").FillAsync(password);
        await page.Locator("[data-test=login-submit]").ClickAsync();
        await page.WaitForURLAsync(BaseUrl + "/");
        await WaitInteractiveAsync(page);
    }

    /// <summary>
    /// Switches the interface language the way a user does — the language menu's form POST — and waits for the page
    /// it comes back to in that language. Opens home first when the page has no menu.
    /// </summary>
    public static async Task SwitchLanguageAsync(IPage page, string culture)
    {
        var menu = page.Locator("[data-test=language-menu] button").First;
        if (await menu.CountAsync() == 0) await page.GotoAsync("/");
        await WaitInteractiveAsync(page);
        await menu.ClickAsync();
        var posted = await page.RunAndWaitForResponseAsync(
            () => page.Locator(culture == "en" ? "[data-test=lang-en]" : "[data-test=lang-zh]").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/culture/set", StringComparison.Ordinal));
        if (posted.Status != 302) throw new InvalidOperationException($"switching to {culture} answered {posted.Status}");
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.Locator($"html[lang='{culture}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await WaitInteractiveAsync(page);
    }

    /// <summary>Picks options of a MudSelect (one, or several of a multi-select) by their text, then closes it.</summary>
    public static async Task ChooseAsync(IPage page, string selectTest, params string[] options)
    {
        await page.Locator($"[data-test={selectTest}]").ClickAsync();
        foreach (var option in options)
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = option }).First.ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        // the list closes on Escape; should it have missed the key (focus still moving), the select's own click closes it
        var list = page.Locator(".mud-popover-open .mud-list-item").First;
        try
        {
            await list.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 2_000 });
        }
        catch (TimeoutException)
        {
            await page.Locator($"[data-test={selectTest}]").ClickAsync(new LocatorClickOptions { Force = true });
            await list.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });
        if (Refusals.TryGetValue(page, out var refusals))
            lock (refusals)
                if (refusals.Count > 0) throw new InvalidOperationException($"content security policy refused on {name}: {string.Join(" | ", refusals)}");
    }

    public void Dispose()
    {
        _playwright?.Dispose();
        _app?.Dispose();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        if (_connection is not null) await TestDatabase.DropAsync(_connection);
    }
}

/// <summary>
/// All browser tests share one app and one Chromium and run one after another: they sign in as the same demo users,
/// and one of them switches a user's stored language, which a test running beside it would otherwise see.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
