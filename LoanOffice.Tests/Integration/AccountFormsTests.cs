using System.Net;
using System.Text.Json;
using LoanOffice.Data.Identity;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Switching language and signing out change state: only a form POST carrying this site's antiforgery token does.</summary>
public class AccountFormsTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public AccountFormsTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A browser's session by hand: the auth cookie and this site's antiforgery cookie + form token for the user.</summary>
    private sealed record Session(HttpClient Client, AppUser User, string AuthCookie, string AntiforgeryCookie, string Token)
    {
        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form, bool withToken)
        {
            if (withToken) form["__RequestVerificationToken"] = Token;
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("Cookie", withToken ? $"{AuthCookie}; {AntiforgeryCookie}" : AuthCookie);
            return Client.SendAsync(request);
        }

        public Task<HttpResponseMessage> GetAsync(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", AuthCookie);
            return Client.SendAsync(request);
        }
    }

    private async Task<Session> SignedInAsync()
    {
        await using var services = TestDatabase.BuildServices("test");
        var user = await TestDatabase.CreateUserAsync(services, "forms", Roles.Finance, null);
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        await using var scope = _app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var ticket = sp.GetRequiredService<LoginTickets>().Issue(user);
        var login = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=/");
        var auth = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("LoanOffice.Auth=", StringComparison.Ordinal)).Split(';')[0];
        // the tokens the page's forms carry, issued for this user exactly as the layout's <AntiforgeryToken /> does
        var principal = await sp.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
        var tokens = sp.GetRequiredService<IAntiforgery>().GetAndStoreTokens(new DefaultHttpContext { RequestServices = sp, User = principal });
        var cookieName = sp.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;
        return new Session(client, user, auth, $"{cookieName}={tokens.CookieToken}", tokens.RequestToken!);
    }

    private async Task<string> StoredCultureAsync(Guid userId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(userId.ToString()))!.PreferredCulture;
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();

    [Fact]
    public async Task Language_ChangesOnlyByAFormPostWithTheToken_AndIsStoredWithTheUser()
    {
        var session = await SignedInAsync();
        var user = session.User;
        (await StoredCultureAsync(user.Id)).ShouldBe("zh-CN");

        // a link (GET) changes nothing
        (await session.GetAsync("/culture/set?culture=en&returnUrl=/")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await StoredCultureAsync(user.Id)).ShouldBe("zh-CN");
        // a cross-site form (no token) is refused with the code, and nothing is stored
        var forged = await session.PostAsync("/culture/set", new() { ["culture"] = "en", ["returnUrl"] = "/" }, withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CodeAsync(forged)).ShouldBe(ErrorCodes.AntiforgeryMissing);
        (await StoredCultureAsync(user.Id)).ShouldBe("zh-CN");

        var unsupported = await session.PostAsync("/culture/set", new() { ["culture"] = "fr", ["returnUrl"] = "/" }, withToken: true);
        unsupported.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CodeAsync(unsupported)).ShouldBe(ErrorCodes.CultureUnsupported);

        var switched = await session.PostAsync("/culture/set", new() { ["culture"] = "en", ["returnUrl"] = "/loans?page=2" }, withToken: true);
        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        switched.Headers.Location!.ToString().ShouldBe("/loans?page=2");
        switched.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith(".AspNetCore.Culture=c%3Den", StringComparison.Ordinal));
        (await StoredCultureAsync(user.Id)).ShouldBe("en");

        // a return address off the site goes home
        var foreign = await session.PostAsync("/culture/set", new() { ["culture"] = "zh-CN", ["returnUrl"] = "//evil.example/" }, withToken: true);
        foreign.Headers.Location!.ToString().ShouldBe("/");
        (await StoredCultureAsync(user.Id)).ShouldBe("zh-CN");
    }

    [Fact]
    public async Task SignOut_WithoutTheToken_IsRefused_AndTheUserStaysSignedIn()
    {
        var session = await SignedInAsync();
        var forged = await session.PostAsync("/account/logout", [], withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CodeAsync(forged)).ShouldBe(ErrorCodes.AntiforgeryMissing);
        forged.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await session.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var signedOut = await session.PostAsync("/account/logout", [], withToken: true);
        signedOut.Headers.Location!.ToString().ShouldStartWith("/account/login");
        signedOut.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("LoanOffice.Auth=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterSignOut_TheOldCookieAnswers401AtOnce_AndIsNotRenewed()
    {
        var session = await SignedInAsync();
        (await session.GetAsync("/api/v1/applications")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await session.PostAsync("/account/logout", [], withToken: true)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // the same cookie replayed (a copy kept by an attacker or another tab): no longer a session
        var replayed = await session.GetAsync("/api/v1/applications");
        replayed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // the cookie is cleared, not renewed
        if (replayed.Headers.TryGetValues("Set-Cookie", out var set))
            set.Where(c => c.StartsWith("LoanOffice.Auth=", StringComparison.Ordinal)).ShouldAllBe(c => c.StartsWith("LoanOffice.Auth=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterTheAccountLocksOnFailedSignIns_ItsOpenCookieAnswers401AtOnce()
    {
        var session = await SignedInAsync();
        (await session.GetAsync("/api/v1/applications")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<ISignInService>();
            for (var i = 1; i <= 5; i++) await signIn.CheckAsync(session.User.UserName!, "wrong-password-" + i);
        }

        (await session.GetAsync("/api/v1/applications")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ACookiePostToTheApi_WithoutTheToken_IsRefused_BeforeTheEndpointRuns()
    {
        var session = await SignedInAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/applications/{Guid.NewGuid()}/moves/reject")
        {
            Content = new StringContent("{\"reason\":\"forged\",\"version\":1}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", session.AuthCookie);
        var forged = await session.Client.SendAsync(request);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CodeAsync(forged)).ShouldBe(ErrorCodes.AntiforgeryMissing);

        // with the token (header) the endpoint runs: an unknown file
        var genuine = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/applications/{Guid.NewGuid()}/moves/reject")
        {
            Content = new StringContent("{\"reason\":\"genuine\",\"version\":1}", System.Text.Encoding.UTF8, "application/json"),
        };
        genuine.Headers.Add("Cookie", $"{session.AuthCookie}; {session.AntiforgeryCookie}");
        genuine.Headers.Add("RequestVerificationToken", session.Token);
        (await session.Client.SendAsync(genuine)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders()
    {
        var session = await SignedInAsync();
        foreach (var path in new[] { "/account/login", "/", "/api/v1/applications", "/no-such-page" })
        {
            var response = path == "/account/login" ? await session.Client.GetAsync(path) : await session.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.ShouldContain("script-src 'self'", customMessage: path);
            csp.ShouldContain("frame-ancestors 'none'", customMessage: path);
            csp.ShouldNotContain("unsafe-eval", customMessage: path);
            response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY", path);
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff", path);
            response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("same-origin", path);
            response.Headers.Contains("Server").ShouldBeFalse(path);
        }
    }
}
