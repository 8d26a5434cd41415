using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace LoanOffice.Web.Security;

/// <summary>
/// The signed-in user of this scope: in a Blazor circuit from the (revalidated) authentication state, in an HTTP
/// request (minimal API, endpoints) from HttpContext.User.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http, AuthenticationStateProvider authState)
{
    public async Task<ClaimsPrincipal> GetPrincipalAsync()
    {
        try
        {
            return (await authState.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // Not a circuit: the authentication state was never set for this scope.
            return http.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
        }
    }

    public async Task<Guid?> GetIdAsync()
    {
        var principal = await GetPrincipalAsync();
        return Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
    }

    public async Task<bool> IsInRoleAsync(string role) => (await GetPrincipalAsync()).IsInRole(role);
}
