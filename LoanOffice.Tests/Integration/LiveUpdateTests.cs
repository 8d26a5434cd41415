using LoanOffice.Web.Hosting;
using System.Collections.Concurrent;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Queues update live across app instances: a change committed in one instance reaches the other's screens.</summary>
public class LiveUpdateTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _instanceA;

    public LiveUpdateTests(AppFactory app) => _instanceA = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AChangeCommittedOnOneInstance_IsAnnouncedToSubscribersOfAnotherInstance()
    {
        using var instanceB = new AppFactory();
        var received = new ConcurrentQueue<Guid>();
        using var subscription = instanceB.Services.GetRequiredService<ApplicationEvents>().Subscribe(received.Enqueue);
        _ = _instanceA.Services; // start instance A (and its own listener)

        // wait until instance B's listener is connected: a probe notified through instance A's database connection arrives
        var probe = Guid.NewGuid();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!received.Contains(probe) && DateTime.UtcNow < deadline)
        {
            await using (var scope = await ActingAs.UserAsync(_instanceA.Services, "gm"))
            await using (var db = await scope.Get<ActorContext>().OpenAsync())
                await ApplicationEvents.NotifyAsync(db, probe);
            await Task.Delay(200);
        }
        received.ShouldContain(probe, "instance B never heard instance A");

        // a real command on instance A: the team lead assigns a new file from the pool
        Guid id;
        await using (var scope = await ActingAs.UserAsync(_instanceA.Services, "gm"))
            id = (await scope.Get<IntakeService>().SubmitAsync(OriginationTests.Request("杭州市西湖区"), "WEB", null)).Value!.ApplicationId;
        await using (var scope = await ActingAs.UserAsync(_instanceA.Services, "lead"))
        {
            await using var db = await scope.Get<ActorContext>().OpenAsync();
            var officer = db.Users.Where(u => u.UserName == "officer").Select(u => u.Id).Single();
            var version = db.Applications.Where(a => a.Id == id).Select(a => a.Version).Single();
            (await scope.Get<ApplicationWorkflow>().AssignAsync(id, officer, version)).IsSuccess.ShouldBeTrue();
        }

        deadline = DateTime.UtcNow.AddSeconds(5);
        while (!received.Contains(id) && DateTime.UtcNow < deadline) await Task.Delay(50);
        received.ShouldContain(id, "the assignment reached instance B's subscribers within seconds");
    }
}

/// <summary>Application numbers come from the sequence in blocks; two app instances never hand out the same number.</summary>
public class ApplicationNumberBlockTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public ApplicationNumberBlockTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoInstancesTakingNumbersAtOnce_NeverCollide_AndEachCountsUpWithinItsBlock()
    {
        using var instanceA = new SequenceBlock("application_number_seq", LoanOffice.Data.LoanOfficeDbContext.ApplicationNumberBlock);
        using var instanceB = new SequenceBlock("application_number_seq", LoanOffice.Data.LoanOfficeDbContext.ApplicationNumberBlock);
        async Task<List<long>> Take(SequenceBlock block)
        {
            var taken = new List<long>();
            await using var scope = await ActingAs.UserAsync(_app.Services, "gm");
            await using var db = await scope.Get<ActorContext>().OpenAsync();
            for (var i = 0; i < 120; i++) taken.Add(await block.NextAsync(db, default));
            return taken;
        }

        var results = await Task.WhenAll(Take(instanceA), Take(instanceB));
        results.SelectMany(r => r).Distinct().Count().ShouldBe(240);
        results[0][1].ShouldBe(results[0][0] + 1);
        results[0].Take(50).ShouldBe(Enumerable.Range(0, 50).Select(i => results[0][0] + i)); // a block is consecutive
    }
}
