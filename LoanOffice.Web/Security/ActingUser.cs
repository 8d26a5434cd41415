using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using LoanOffice.Data.Identity;

namespace LoanOffice.Web.Security;

/// <summary>
/// A service scope that acts as a staff user, as a circuit does: the scope's authentication state and audit actor are
/// that user's (scoped objects, not async-locals), so every service checks the user's roles and data scope and the
/// audit names them. For work done on the users' behalf outside a browser: the demo company's history, and the tests.
/// </summary>
public static class ActingUser
{
    public static async Task<AsyncServiceScope> ScopeAsync(IServiceProvider root, string userName)
    {
        var scope = root.CreateAsyncScope();
        try
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException("no user " + userName);
            var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
            ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
                .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
            scope.ServiceProvider.GetRequiredService<WebAuditContext>().SetCircuitUser(userName, "127.0.0.1");
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> as <paramref name="userName"/> in a scope of its own.</summary>
    public static async Task<T> RunAsync<T>(IServiceProvider root, string userName, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = await ScopeAsync(root, userName);
        return await action(scope.ServiceProvider);
    }
}
