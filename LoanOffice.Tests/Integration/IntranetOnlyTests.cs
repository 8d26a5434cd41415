using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>审批操作仅限内网: an approver outside the company's networks cannot vote, even signed in; the refusal is audited.</summary>
public class IntranetOnlyTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly AppFactory _app;

    public IntranetOnlyTests(AppFactory app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("10.20.30.40", true)]
    [InlineData("192.168.1.9", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("203.0.113.7", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("not-an-address", false)]
    [InlineData(null, true)] // the system itself: jobs, the command line
    public void TheDefaultNetworks_AreTheCompanysPrivateRanges(string? ip, bool allowed) =>
        new IntranetPolicy(IntranetPolicy.DefaultNetworks).Allows(ip).ShouldBe(allowed);

    [Fact]
    public async Task AVoteFromOutside_IsRefusedAndAudited_TheSameVoteFromTheOfficeGoesIn()
    {
        var id = await TestApplications.ToApprovalAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        async Task<Result> VoteFrom(string ip)
        {
            await using var scope = await ActingAs.UserAsync(_app.Services, "approver");
            // the circuit's address, as the Routes component records it when the browser connects
            scope.Get<WebAuditContext>().SetCircuitUser("approver", ip);
            return await scope.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, "同意");
        }

        var outside = await VoteFrom("203.0.113.7");
        outside.Error!.Code.ShouldBe(ErrorCodes.IntranetOnly);
        LoanOffice.Web.Hosting.ErrorText.Render(outside.Error, new System.Globalization.CultureInfo("zh-CN")).ShouldContain("203.0.113.7");
        await using (var db = _app.Sql.Db())
        {
            (await db.ApprovalVotes.CountAsync(v => v.ApplicationId == id)).ShouldBe(0);
            var refusal = await db.AuditEntries.SingleAsync(a => a.EntityKey == id.ToString() && a.Action == "IntranetRefused");
            (refusal.Actor, refusal.ClientIp).ShouldBe(("user:approver", "203.0.113.7"));
            refusal.Changes.ShouldContain(IntranetActions.Vote);
        }

        (await VoteFrom("10.8.1.20")).IsSuccess.ShouldBeTrue();
        await using (var db = _app.Sql.Db())
            (await db.ApprovalVotes.CountAsync(v => v.ApplicationId == id)).ShouldBe(1);
    }

    [Fact]
    public void AnEventsDetails_ReadOnTheAuditPage_AsTheyAre()
    {
        // the audit page lists an event's details (it used to fail on anything but {field: {before, after}})
        LoanOffice.Web.Features.Audit.AuditDiff.Parse("""{"action":"Vote","known":false,"fields":["ResidentId"]}""")
            .ShouldBe([new("action", null, "Vote"), new("known", null, "false"), new("fields", null, """["ResidentId"]""")]);
        LoanOffice.Web.Features.Audit.AuditDiff.Parse("""{"Amount":{"before":"1","after":"2"}}""").ShouldBe([new("Amount", "1", "2")]);
    }
}
