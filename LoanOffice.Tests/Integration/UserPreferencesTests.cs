using LoanOffice.Domain.Applications;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Account;
using LoanOffice.Web.Features.Applications;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The review queue's filters are remembered per user, in the database.</summary>
public class UserPreferencesTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public UserPreferencesTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<T> As<T>(string user, Func<UserPreferences, Task<T>> action)
    {
        await using var scope = await ActingAs.UserAsync(_app.Services, user);
        return await action(scope.Get<UserPreferences>());
    }

    [Fact]
    public async Task QueueFilter_IsRememberedForTheUser_AndOnlyForThatUser()
    {
        var team = Guid.NewGuid();
        var filter = new QueueFilter([ApplicationState.PreliminaryReview], team, "CREDIT", 20_000m, 80_000m, 24, "amount", false);
        await As("reviewer", async p => { await p.SetAsync(QueueFilter.PreferenceKey, filter); return 0; });

        var again = await As("reviewer", p => p.GetAsync<QueueFilter>(QueueFilter.PreferenceKey));
        again.ShouldNotBeNull();
        again.States.ShouldBe([ApplicationState.PreliminaryReview]);
        (again with { States = null }).ShouldBe(filter with { States = null });
        (await As("chief", p => p.GetAsync<QueueFilter>(QueueFilter.PreferenceKey))).ShouldBeNull();

        // saving again replaces the setting (one row per user and key)
        await As("reviewer", async p => { await p.SetAsync(QueueFilter.PreferenceKey, QueueFilter.None); return 0; });
        (await As("reviewer", p => p.GetAsync<QueueFilter>(QueueFilter.PreferenceKey))).ShouldBe(QueueFilter.None);
    }
}
