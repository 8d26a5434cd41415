using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The data scope is enforced server-side: by API and by URL, not only in menus.</summary>
public class DataScopeApiTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public DataScopeApiTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(Guid TeamA, Guid TeamB)> TeamsAsync()
    {
        await using var services = TestDatabase.BuildServices("test");
        return (await TestDatabase.TeamIdAsync(services, "HZ01"), await TestDatabase.TeamIdAsync(services, "SZ01"));
    }

    [Fact]
    public async Task OfficerOfTeamA_ReadingAUserOfTeamB_ByApi_Gets403ProblemDetails()
    {
        var (_, teamB) = await TeamsAsync();
        await using var services = TestDatabase.BuildServices("test");
        var other = await TestDatabase.CreateUserAsync(services, "scope-b", Roles.LoanOfficer, teamB);
        var client = await _app.SignedInClientAsync("officer"); // LoanOfficer of HZ01
        var response = await client.GetAsync($"/api/v1/people/{other.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe(LoanOffice.Domain.Common.ErrorCodes.PeopleOutOfScope);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(other.UserName!);
    }

    [Fact]
    public async Task OfficerOfTeamA_OpeningAUserOfTeamB_ByUrl_SeesTheForbiddenPage()
    {
        var (_, teamB) = await TeamsAsync();
        await using var services = TestDatabase.BuildServices("test");
        var other = await TestDatabase.CreateUserAsync(services, "scope-url", Roles.LoanOfficer, teamB);
        var client = await _app.SignedInClientAsync("officer");
        var response = await client.GetAsync($"/people/{other.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-test=\"forbidden\"");
        html.ShouldNotContain(other.UserName!);
    }

    [Fact]
    public async Task TeamLeadOfTeamA_ListsOnlyTeamAMembers_AndCanOpenThem()
    {
        var (teamA, teamB) = await TeamsAsync();
        await using var services = TestDatabase.BuildServices("test");
        var mate = await TestDatabase.CreateUserAsync(services, "scope-mate", Roles.LoanOfficer, teamA);
        var stranger = await TestDatabase.CreateUserAsync(services, "scope-stranger", Roles.LoanOfficer, teamB);
        var client = await _app.SignedInClientAsync("lead");

        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/people?pageSize=200");
        var names = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userName").GetString()).ToList();
        names.ShouldContain(mate.UserName);
        names.ShouldContain("officer");
        names.ShouldNotContain(stranger.UserName);
        names.ShouldNotContain("officer.sz");

        (await client.GetAsync($"/api/v1/people/{mate.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/api/v1/people/{stranger.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GeneralManager_SeesEveryTeam()
    {
        var client = await _app.SignedInClientAsync("gm");
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/people?pageSize=200&search=officer");
        var names = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userName").GetString()).ToList();
        names.ShouldContain("officer");
        names.ShouldContain("officer.sz");
        names.ShouldContain("officer.sh");
    }

    [Fact]
    public async Task People_UnknownId_Gets404_AndBadPaging_Gets400NamingTheField()
    {
        var client = await _app.SignedInClientAsync("gm");
        (await client.GetAsync($"/api/v1/people/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var bad = await client.GetAsync("/api/v1/people?pageSize=5000");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty("pageSize", out _).ShouldBeTrue();
    }
}
