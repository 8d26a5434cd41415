using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Data.Seeding;
using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Integration;

public class IntakeApiTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public IntakeApiTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Channel(string? key = DemoCompanySeeder.DemoChannelKey)
    {
        var client = _app.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static object Body(string residentId, decimal amount = 80_000m) => new
    {
        name = "李娜", residentId, mobile = "13912345678", district = "杭州市滨江区", productCode = "CREDIT",
        amount, months = 12, purpose = "装修", consent = true,
    };

    [Fact]
    public async Task Post_WithTheChannelKey_Creates201_InTheTeamPool()
    {
        var response = await Channel().PostAsJsonAsync("/api/v1/intake/applications", Body(OriginationTests.NewResidentId()));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("number").GetString()!.ShouldStartWith("SQ");
        var lead = await _app.SignedInClientAsync("lead");
        var app = await lead.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{json.GetProperty("id").GetString()}");
        app.GetProperty("state").GetString().ShouldBe("Pool");
        app.GetProperty("teamName").GetString().ShouldBe("杭州团队");
    }

    [Fact]
    public async Task Post_SameIdempotencyKey_ReturnsTheFirstApplication()
    {
        var client = Channel();
        var body = Body(OriginationTests.NewResidentId());
        var key = Guid.NewGuid().ToString();
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/intake/applications") { Content = JsonContent.Create(body) };
        first.Headers.Add("Idempotency-Key", key);
        using var second = new HttpRequestMessage(HttpMethod.Post, "/api/v1/intake/applications") { Content = JsonContent.Create(body) };
        second.Headers.Add("Idempotency-Key", key);
        var r1 = await client.SendAsync(first);
        var r2 = await client.SendAsync(second);
        r1.StatusCode.ShouldBe(HttpStatusCode.Created);
        r2.StatusCode.ShouldBe(HttpStatusCode.OK);
        var a = await r1.Content.ReadFromJsonAsync<JsonElement>();
        var b = await r2.Content.ReadFromJsonAsync<JsonElement>();
        b.GetProperty("id").GetString().ShouldBe(a.GetProperty("id").GetString());
        b.GetProperty("replayed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Post_WithoutOrWithAWrongKey_Is401()
    {
        (await Channel(null).PostAsJsonAsync("/api/v1/intake/applications", Body(OriginationTests.NewResidentId()))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Channel("wrong").PostAsJsonAsync("/api/v1/intake/applications", Body(OriginationTests.NewResidentId()))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Post_BadResidentId_Is400ProblemNamingTheField()
    {
        var response = await Channel().PostAsJsonAsync("/api/v1/intake/applications", Body("110105194912310021"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty("residentId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Post_AnEmptyApplication_NamesEveryMissingField_AtOnce_AndANegativeAmountSaysItMustBePositive()
    {
        var empty = await Channel().PostAsJsonAsync("/api/v1/intake/applications", new { });
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(
            ["name", "residentId", "mobile", "district", "productCode", "amount", "months", "purpose", "consent"], ignoreOrder: true);
        problem.GetProperty("codes").GetProperty("amount").GetString().ShouldBe(LoanOffice.Domain.Common.ErrorCodes.IntakeAmount);

        var negative = await Channel().PostAsJsonAsync("/api/v1/intake/applications", new { name = "王小明", amount = -5000 });
        var refused = await negative.Content.ReadFromJsonAsync<JsonElement>();
        refused.GetProperty("codes").GetProperty("amount").GetString().ShouldBe(LoanOffice.Domain.Common.ErrorCodes.AmountNotPositive);
        refused.GetProperty("errors").GetProperty("amount")[0].GetString().ShouldBe("金额必须大于零。");
        refused.GetProperty("errors").TryGetProperty("name", out _).ShouldBeFalse("the name was fine");
    }

    [Fact]
    public async Task Get_ApplicationOfAnotherTeam_IsForbiddenForAnOfficer()
    {
        var created = await Channel().PostAsJsonAsync("/api/v1/intake/applications", Body(OriginationTests.NewResidentId()));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var outsider = await _app.SignedInClientAsync("officer.sz");
        (await outsider.GetAsync($"/api/v1/applications/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var insider = await _app.SignedInClientAsync("officer");
        (await insider.GetAsync($"/api/v1/applications/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK); // the team pool
    }
}
