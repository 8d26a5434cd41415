using LoanOffice.Data.Identity;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LoanOffice.Tests.Support;

/// <summary>
/// A DI scope of the real app in which the services see <paramref name="userName"/> as the signed-in user, as an
/// HTTP request or a circuit would. Create one per action (services cache the scope's user).
/// </summary>
public sealed class ActingAs : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private ActingAs(AsyncServiceScope scope) => _scope = scope;

    public IServiceProvider Services => _scope.ServiceProvider;

    public T Get<T>() where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public static async Task<ActingAs> UserAsync(IServiceProvider root, string userName)
    {
        var scope = root.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException("no user " + userName);
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
        // As a circuit does: the scope's authentication state and audit actor (scoped objects, not async-locals).
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        scope.ServiceProvider.GetRequiredService<WebAuditContext>().SetCircuitUser(userName, "127.0.0.1");
        return new ActingAs(scope);
    }

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
