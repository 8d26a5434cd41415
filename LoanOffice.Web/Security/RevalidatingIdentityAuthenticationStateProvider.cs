using System.Security.Claims;
using LoanOffice.Data.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Security;

/// <summary>
/// Re-checks an open circuit's user against the database every few minutes: a locked (disabled) user, a changed
/// security stamp (role removed, password reset) or a deleted user signs the circuit out without a re-login.
/// </summary>
public sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    IOptions<SecuritySettings> settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => settings.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsStillValidAsync(users, authenticationState.User, identityOptions.Value);
    }

    public static async Task<bool> IsStillValidAsync(UserManager<AppUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user)) return false;
        var principalStamp = principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await users.GetSecurityStampAsync(user);
        return string.Equals(principalStamp, userStamp, StringComparison.Ordinal);
    }
}

public sealed class SecuritySettings
{
    /// <summary>How often an open circuit and the cookie are re-checked against the security stamp.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Without activity for this long the session ends (the cookie expires; the open page signs out).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long before the idle sign-out the page warns.</summary>
    public TimeSpan IdleWarning { get; set; } = TimeSpan.FromMinutes(2);
}
