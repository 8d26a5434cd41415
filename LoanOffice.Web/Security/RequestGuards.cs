using LoanOffice.Data.Identity;
using LoanOffice.Domain.Common;
using LoanOffice.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Security;

/// <summary>
/// Every request that comes with the sign-in cookie is checked against the user as the database has them now: a
/// signed-out session (sign-out rotates the security stamp), a locked or deleted user, a changed stamp (role removed,
/// password reset) answers 401 at once and the cookie is not renewed. One user lookup per request; the open circuits
/// are re-checked by <see cref="RevalidatingIdentityAuthenticationStateProvider"/>.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null) return;
        var services = context.HttpContext.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var options = services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        if (await RevalidatingIdentityAuthenticationStateProvider.IsStillValidAsync(users, context.Principal, options)) return;
        context.RejectPrincipal();
        context.ShouldRenew = false;
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}

/// <summary>
/// Cross-site request forgery: a state-changing request (anything but GET, HEAD, OPTIONS, TRACE) that authenticates
/// with the browser's cookie must carry this site's antiforgery token (the form field or the
/// <c>RequestVerificationToken</c> header; <c>GET /account/antiforgery</c> hands one to a script). Integrations send a
/// bearer token or a device signature and no cookie, so a forged cross-site request cannot ride on them. The circuit's
/// own connection (<c>/_blazor</c>) is bound to its circuit and left to Blazor.
/// </summary>
public sealed class CookieCsrfGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (IsUnsafe(http.Request.Method) && SignedInByCookie(http) && !http.Request.Path.StartsWithSegments("/_blazor")
            && !await antiforgery.IsRequestValidAsync(http))
        {
            await Problems.From(Error.Of(ErrorCodes.AntiforgeryMissing)).ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    private static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    // the bearer's principal is built like the cookie's (same claims), so the header tells them apart
    private static bool SignedInByCookie(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true }
        && !http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The response headers of every page and endpoint: a content security policy for Blazor Server (scripts only from
/// this site, the circuit's WebSocket to this site, no framing), nosniff, no referrer to other sites, HSTS when served
/// over TLS (outside development).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IWebHostEnvironment environment, IOptions<SecurityHeaderOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            // a document a user uploaded keeps the stricter policy its endpoint set (sandbox); Blazor's own
            // frame-ancestors 'self' gives way to the whole policy
            if (!headers.ContentSecurityPolicy.ToString().Contains("sandbox", StringComparison.Ordinal))
                headers.ContentSecurityPolicy = options.Value.Policy;
            if (http.Request.IsHttps && !environment.IsDevelopment())
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(http);
    }
}

public sealed class SecurityHeaderOptions
{
    /// <summary>The map's tiles (Field:Map:TileUrl) come from another server; its origin is added to img-src.</summary>
    public string ExtraImageSources { get; set; } = string.Empty;

    public string Policy => "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: "
                            + ExtraImageSources + "; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                            + "form-action 'self'; frame-ancestors 'none'";
}

/// <summary>
/// Security:IntranetNetworks (CIDR list; the approval actions are taken only from these) and Security:TrustedProxies
/// (the reverse proxies whose X-Forwarded-For is believed; nobody else's).
/// </summary>
public sealed class NetworkOptions
{
    public string[] IntranetNetworks { get; set; } = [];
    public string[] TrustedProxies { get; set; } = [];

    private LoanOffice.Domain.Organisation.IntranetPolicy? _policy;

    public LoanOffice.Domain.Organisation.IntranetPolicy Policy => _policy ??= new(IntranetNetworks.Length > 0 ? IntranetNetworks : LoanOffice.Domain.Organisation.IntranetPolicy.DefaultNetworks);
}

/// <summary>
/// A cookie request to the API by a user whose role requires two-factor sign-in and who has not set it up answers 403
/// (Security.TwoFactorRequired); the pages show the set-up instead (MainLayout). Bearer tokens are made by an admin
/// for integrations and are not concerned.
/// </summary>
public sealed class TwoFactorGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, Microsoft.Extensions.Options.IOptions<TwoFactorOptions> options,
        Microsoft.AspNetCore.Identity.UserManager<LoanOffice.Data.Identity.AppUser> users)
    {
        var user = http.User;
        if (http.Request.Path.StartsWithSegments("/api") && user.Identity?.IsAuthenticated == true
            && !http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && options.Value.IsRequiredFor(LoanOffice.Domain.Organisation.Roles.All.Where(user.IsInRole))
            && await users.GetUserAsync(user) is { TwoFactorEnabled: false })
        {
            await Problems.WithStatus(Error.Of(ErrorCodes.TwoFactorRequired), StatusCodes.Status403Forbidden, "Forbidden").ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
