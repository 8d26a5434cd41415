using System.Net;
using System.Text.Json;
using LoanOffice.Tests.Support;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The applications API: the list filtered like the queue, a file by number, within the caller's scope.</summary>
public class ApplicationApiTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheList_AndAFileByNumber_FollowTheScope()
    {
        var id = await TestApplications.SubmittedAsync(app.Services, "杭州市西湖区", "officer", "lead", 76_500m);
        await using var db = TestSql.Shared.Db();
        var number = db.Applications.Where(a => a.Id == id).Select(a => a.Number).Single();
        var lead = await app.SignedInClientAsync("lead");

        var list = JsonDocument.Parse(await lead.GetStringAsync($"/api/v1/applications?stage=Submitted,PreliminaryReview&search={number}")).RootElement;
        var item = list.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        (item.GetProperty("number").GetString(), item.GetProperty("state").GetString(), item.GetProperty("amount").GetDecimal()).ShouldBe((number, "Submitted", 76_500m));
        JsonDocument.Parse(await lead.GetStringAsync($"/api/v1/applications?stage=Disbursed&search={number}")).RootElement.GetProperty("total").GetInt32().ShouldBe(0);

        var byNumber = JsonDocument.Parse(await lead.GetStringAsync($"/api/v1/applications/{number}")).RootElement;
        byNumber.GetProperty("id").GetGuid().ShouldBe(id);
        var otherTeam = await app.SignedInClientAsync("officer.sh");
        (await otherTeam.GetAsync($"/api/v1/applications/{number}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        JsonDocument.Parse(await otherTeam.GetStringAsync($"/api/v1/applications?search={number}")).RootElement.GetProperty("total").GetInt32().ShouldBe(0);

        var badStage = await lead.GetAsync("/api/v1/applications?stage=Nowhere");
        badStage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badStage.Content.ReadAsStringAsync()).ShouldContain("Input.NotOneOf");
        (await lead.GetAsync("/api/v1/applications/SQ-NOTHING")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
