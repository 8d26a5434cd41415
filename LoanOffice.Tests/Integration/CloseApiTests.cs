using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The close of business started and followed through the API, as an operations script does.</summary>
public class CloseApiTests(IsolatedApp app) : ServicingTestBase(app)
{
    private Task<(HttpClient Client, string TokenName)> AsAsync(string user) => App.BearerClientAsync(user);

    [Fact]
    public async Task AnAdmin_StartsTheClose_GetsItsId_AndFollowsItToTheEnd()
    {
        var loan = await TestLoans.CreateAsync(App.Services, new DateOnly(2026, 10, 1));
        var (admin, token) = await AsAsync("admin");

        var future = await admin.PostAsJsonAsync("/api/v1/close-of-business", new { date = "2026-12-05" });
        future.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await future.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.CloseDateNotEnded);
        var (officer, _) = await AsAsync("officer");
        var refused = await officer.PostAsJsonAsync("/api/v1/close-of-business", new { date = "2026-11-25" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await refused.Content.ReadAsStringAsync());
        (await refused.Content.ReadAsStringAsync()).ShouldContain("\"code\":\"forbidden\"");

        var started = await admin.PostAsJsonAsync("/api/v1/close-of-business", new { date = "2026-11-25" });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        started.Headers.Location!.ToString().ShouldBe($"/api/v1/close-of-business/{id}");

        JsonElement status = default;
        for (var i = 0; i < 300; i++)
        {
            status = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/close-of-business/{id}")).RootElement.Clone();
            if (status.GetProperty("status").GetString() is "Completed" or "CompletedWithFailures" or "Failed") break;
            await Task.Delay(100);
        }

        status.GetProperty("status").GetString().ShouldBe("Completed", status.ToString());
        status.GetProperty("targetDate").GetString().ShouldBe("2026-11-25");
        // the loan (disbursed 10-01, first due 11-01, unpaid) rests until its reminder night (10-29); from there one run a date
        var dates = status.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("businessDate").GetString()).ToList();
        (dates[0], dates[^1], dates.Count).ShouldBe(("2026-10-29", "2026-11-25", 28), status.ToString());
        status.GetProperty("casesOpened").GetInt32().ShouldBe(1);
        (await Sql.ScalarAsync<int>("""SELECT "DaysPastDue" FROM loans WHERE "Id" = @id""", ("id", loan))).ShouldBe(24);
        await using (var db = Sql.Db())
            (await db.AuditEntries.AnyAsync(a => a.EntityType == "CobRequest" && a.EntityKey == id.ToString() && a.Actor == $"user:admin@token:{token}")).ShouldBeTrue();

        // a body that is not JSON is a 400 with a code, like any refusal
        var garbled = await admin.PostAsync("/api/v1/close-of-business", new StringContent("{date: 2026-11-25", System.Text.Encoding.UTF8, "application/json"));
        garbled.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await garbled.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("code").GetString().ShouldBe(ErrorCodes.RequestBodyUnreadable, problem.ToString());

        var unknown = await admin.GetAsync($"/api/v1/close-of-business/{Guid.NewGuid()}");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain(ErrorCodes.CloseRequestNotFound);
    }
}
