using LoanOffice.Data;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using LoanOffice.Data.Identity;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Account;

public static class AccountEndpoints
{
    public static readonly string[] SupportedCultures = ["zh-CN", "en"];

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account");

        // The interactive sign-in page checked the password; the browser brings the ticket here for the cookie.
        group.MapGet("/complete-login", async (string ticket, string? returnUrl, LoginTickets tickets,
            UserManager<AppUser> users, SignInManager<AppUser> signIn, HttpContext http) =>
        {
            var redeemed = tickets.Redeem(ticket);
            if (redeemed is null) return Results.Redirect("/account/login?error=expired");
            var user = await users.FindByIdAsync(redeemed.Value.UserId.ToString());
            if (user is null || user.SecurityStamp != redeemed.Value.Stamp || await users.IsLockedOutAsync(user))
                return Results.Redirect("/account/login?error=expired");
            await signIn.SignInAsync(user, isPersistent: false);
            WriteCultureCookie(http, user.PreferredCulture);
            return Results.LocalRedirect(SafeLocal(returnUrl));
        }).AllowAnonymous();

        // signing out ends every session of the user: the new security stamp fails each old cookie at its next request
        // (the antiforgery token is checked for every cookie POST by CookieCsrfGuard)
        group.MapPost("/logout", async (SignInManager<AppUser> signIn, UserManager<AppUser> users, HttpContext http) =>
        {
            if (await users.GetUserAsync(http.User) is { } user) await users.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            // the page's idle timeout signs out with reason=idle: the sign-in page says why
            var idle = http.Request.HasFormContentType && (await http.Request.ReadFormAsync())["reason"] == "idle";
            return Results.LocalRedirect(idle ? "/account/login?signedOut=2" : "/account/login?signedOut=1");
        }).RequireAuthorization(Policies.Staff);

        // the open page keeps the sign-in cookie alive while the user works (a circuit's own traffic does not renew it)
        group.MapGet("/keep-alive", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.NoContent();
        }).RequireAuthorization(Policies.Staff);

        // a script's token for its cookie POSTs (the RequestVerificationToken header), with the matching cookie
        group.MapGet("/antiforgery", (IAntiforgery antiforgery, HttpContext http) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(new { token = tokens.RequestToken, header = tokens.HeaderName });
        }).RequireAuthorization(Policies.Staff);

        // Switches the interface language (a form POST with the antiforgery token); a signed-in user's choice is
        // stored with the user.
        app.MapPost("/culture/set", async (HttpContext http, CurrentUser current, IAntiforgery antiforgery,
            IDbContextFactory<LoanOfficeDbContext> dbFactory) =>
        {
            if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
                return Problems.From(Error.Of(ErrorCodes.AntiforgeryMissing));
            var form = await http.Request.ReadFormAsync();
            var culture = form["culture"].ToString();
            if (!SupportedCultures.Contains(culture))
                return Problems.From(Error.Of(ErrorCodes.CultureUnsupported, culture).At("culture"));
            WriteCultureCookie(http, culture);
            if (await current.GetIdAsync() is { } userId)
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId);
                if (user is not null && user.PreferredCulture != culture)
                {
                    user.PreferredCulture = culture;
                    await db.SaveChangesAsync();
                }
            }

            return Results.LocalRedirect(SafeLocal(form["returnUrl"].ToString()));
        }).AllowAnonymous();

        return app;
    }

    public static void WriteCultureCookie(HttpContext http, string culture)
    {
        if (!SupportedCultures.Contains(culture)) culture = SupportedCultures[0];
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = false, SameSite = SameSiteMode.Lax });
    }

    /// <summary>Only same-site relative paths; anything else (//evil.example, https://…) goes home.</summary>
    public static string SafeLocal([FromQuery] string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";
}
