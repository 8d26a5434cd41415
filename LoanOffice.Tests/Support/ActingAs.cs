using LoanOffice.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LoanOffice.Tests.Support;

/// <summary>
/// A DI scope of the real app in which the services see <paramref name="userName"/> as the signed-in user, as an
/// HTTP request or a circuit would (<see cref="ActingUser"/>). Create one per action (services cache the scope's user).
/// </summary>
public sealed class ActingAs : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private ActingAs(AsyncServiceScope scope) => _scope = scope;

    public IServiceProvider Services => _scope.ServiceProvider;

    public T Get<T>() where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public static async Task<ActingAs> UserAsync(IServiceProvider root, string userName) =>
        new(await ActingUser.ScopeAsync(root, userName));

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
