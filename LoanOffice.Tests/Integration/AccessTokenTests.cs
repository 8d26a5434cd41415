using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Admin;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>Personal access tokens: made by an admin (or the CLI), acting as their user with the user's scope, revocable, expiring, audited.</summary>
public class AccessTokenTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Label() => "it-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<Result<string>> CreateAsync(string admin, string user, string name, int? days = 30)
    {
        await using var scope = await ActingAs.UserAsync(app.Services, admin);
        return await scope.Get<UserAdminService>().CreateTokenAsync(user, name, days);
    }

    private HttpClient Bearer(string? secret)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (secret is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    [Fact]
    public async Task AToken_ActsAsItsUser_WithinTheUsersScope_UntilRevokedOrExpired()
    {
        var loan = await TestLoans.CreateAsync(app.Services, new DateOnly(2026, 11, 2)); // 杭州团队's, officer 孙伟
        var url = $"/api/v1/loans/{loan}/documents/iou.pdf";
        var name = Label();
        (await CreateAsync("officer", "officer", name)).Error!.Code.ShouldBe(ErrorCodes.AdminAdminOnly, "only an admin makes tokens");
        var secret = (await CreateAsync("admin", "officer", name)).Value!;
        secret.ShouldStartWith("lo_");
        await using (var db = TestSql.Shared.Db())
            (await db.AccessTokens.SingleAsync(t => t.Name == name)).Hash.ShouldNotBe(System.Text.Encoding.UTF8.GetBytes(secret), "only the hash is kept");

        (await Bearer(secret).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Bearer(null).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "an API answers 401, never a redirect");
        (await Bearer("lo_forged").GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var otherTeam = (await CreateAsync("admin", "officer.sh", Label())).Value!;
        (await Bearer(otherTeam).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the token has its user's data scope");
        await using (var db = TestSql.Shared.Db())
            (await db.AccessTokens.SingleAsync(t => t.Name == name)).LastUsedAt.ShouldNotBeNull();

        (await CreateAsync("admin", "officer", name)).Error!.Code.ShouldBe(ErrorCodes.TokenNameTaken);
        var bad = await CreateAsync("admin", "nobody-here", "", 999);
        bad.Error!.All.Select(e => e.Field).ShouldBe(["name", "days"]);

        await using (var scope = await ActingAs.UserAsync(app.Services, "admin"))
            (await scope.Get<UserAdminService>().RevokeTokenAsync(name)).IsSuccess.ShouldBeTrue();
        (await Bearer(secret).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "revoked");

        var expiring = Label();
        var soon = (await CreateAsync("admin", "officer", expiring)).Value!;
        await TestSql.Shared.ExecAsync("""UPDATE access_tokens SET "ExpiresAt" = now() - interval '1 minute' WHERE "Name" = @n""", ("n", expiring));
        (await Bearer(soon).GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "expired");
    }

    [Fact]
    public async Task ALockedUsersToken_StopsAtOnce_AndACallIsAuditedWithTheTokensName()
    {
        await using var services = TestDatabase.BuildServices("test");
        var hz = await TestDatabase.TeamIdAsync(services, "HZ01");
        var officer = await TestDatabase.CreateUserAsync(services, "tokenuser", LoanOffice.Domain.Organisation.Roles.LoanOfficer, hz);
        var name = Label();
        var secret = (await CreateAsync("admin", officer.UserName!, name)).Value!;
        var id = await TestApplications.CollectingAsync(app.Services, "杭州市西湖区", officer.UserName!, "lead");
        var version = (await TestApplications.LoadAsync(app.Services, id)).Version;
        var withdrawn = await Bearer(secret).PostAsJsonAsync($"/api/v1/applications/{id}/moves/withdraw", new { reason = "客户不再需要", version });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.NoContent, await withdrawn.Content.ReadAsStringAsync());
        (await TestApplications.LoadAsync(app.Services, id)).State.ShouldBe(ApplicationState.Withdrawn);
        await using (var db = TestSql.Shared.Db())
            (await db.AuditEntries.AnyAsync(a => a.EntityKey == id.ToString() && a.Actor == $"user:{officer.UserName}@token:{name}")).ShouldBeTrue();

        await TestSql.Shared.ExecAsync("""UPDATE "AspNetUsers" SET "LockoutEnd" = now() + interval '1 day' WHERE "Id" = @id""", ("id", officer.Id));
        (await Bearer(secret).PostAsync($"/api/v1/applications/{id}/approval-report.pdf", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheCommandLine_MakesAndRevokesATokenThatWorks()
    {
        var name = Label();
        var env = new Dictionary<string, string> { ["ConnectionStrings__Default"] = app.DatabaseConnection };
        var (exit, stdout, stderr) = await TestCli.RunAsync("token", ["create", "--user", "finance", "--name", name, "--days", "7"], environment: env);
        exit.ShouldBe(0, stderr);
        var secret = stdout.Trim();
        secret.ShouldStartWith("lo_");
        stderr.ShouldContain("shown only now");
        (await Bearer(secret).GetAsync("/api/v1/reports/approval-reports.zip?from=2026-12-01&to=2026-12-01")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "finance may not download the compliance bundle");
        (await TestCli.RunAsync("token", ["create", "--user", "finance", "--name", name], environment: env)).Exit.ShouldBe(2, "the name is taken");
        (await TestCli.RunAsync("token", ["revoke", "--name", name], environment: env)).Exit.ShouldBe(0);
        await using var db = TestSql.Shared.Db();
        (await db.AccessTokens.SingleAsync(t => t.Name == name)).RevokedBy.ShouldBe("ops:token");
    }
}
