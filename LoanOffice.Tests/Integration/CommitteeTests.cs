using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Committee;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Shouldly;
using static LoanOffice.Tests.Support.TestApplications;

namespace LoanOffice.Tests.Integration;

/// <summary>
/// Loan committee meetings (上海一队 decides in committee): planned with staff members, files on the agenda, the
/// decision recorded with every member's vote after the meeting. On a database and a clock of their own.
/// </summary>
public class CommitteeTests(IsolatedApp app) : ServicingTestBase(app)
{
    private Task<T> As<T>(string user, Func<ActingAs, Task<T>> action) => TestApplications.As(App.Services, user, action);
    private DateOnly Today => Fmt.ChinaDate(App.Clock);

    private Task<Guid> UserAsync(string userName) => Sql.ScalarAsync<Guid>("""SELECT "Id" FROM "AspNetUsers" WHERE "UserName" = @n""", ("n", userName));
    private Task<Guid> TeamAsync(string code) => Sql.ScalarAsync<Guid>("SELECT \"Id\" FROM teams WHERE \"Code\" = @c", ("c", code));

    /// <summary>陈建国 (GM), 郑强 (chief approver), 杨帆 (team lead of 上海一队).</summary>
    private async Task<Guid[]> MembersAsync() => [await UserAsync("gm"), await UserAsync("chief"), await UserAsync("lead.sh")];

    private async Task<Guid> PlanAsync(DateOnly date)
    {
        var (team, members) = (await TeamAsync("SH01"), await MembersAsync());
        var planned = await As("lead.sh", s => s.Get<CommitteeService>().PlanAsync(team, date, members));
        planned.IsSuccess.ShouldBeTrue(planned.Error?.Code);
        return planned.Value;
    }

    [Fact]
    public async Task Meeting_PlannedWithStaff_FileOnItsAgenda_DecisionRecordedWithEveryMembersVote()
    {
        var meetingId = await PlanAsync(Today);
        var list = await As("gm", s => s.Get<CommitteeService>().MeetingsAsync(false, 0, 25));
        var row = list.Items.ShouldHaveSingleItem();
        (row.Date, row.TeamName, row.AgendaItems, row.Status).ShouldBe((Today, "上海一队", 0, MeetingStatus.Planned));
        row.Members.ShouldBe(["陈建国", "郑强", "杨帆"]);

        var id = await ToApprovalAsync(App.Services, "上海市浦东新区", "officer.sh", "lead.sh");
        var upcoming = await As("lead.sh", async s => await s.Get<CommitteeService>().UpcomingAsync(await TeamAsync("SH01")));
        upcoming.ShouldHaveSingleItem().Id.ShouldBe(meetingId);
        Ok(await As("lead.sh", async s => await s.Get<CommitteeService>().RegisterAsync(id, meetingId, (await LoadAsync(App.Services, id)).Version)));
        (await As("lead.sh", async s => await s.Get<CommitteeService>().RegisterAsync(id, meetingId, (await LoadAsync(App.Services, id)).Version)))
            .Error!.Code.ShouldBe(ErrorCodes.CommitteeAlreadyOnAgenda);
        // the file shows the meeting it is on, to everyone who sees the file
        var agenda = (await As("officer.sh", s => s.Get<CommitteeService>().AgendaOfAsync(id)))!;
        (agenda.MeetingId, agenda.Date, agenda.Decided).ShouldBe((meetingId, Today, false));
        agenda.Members.Select(m => m.Name).ShouldBe(["陈建国", "郑强", "杨帆"]);

        var (gm, chief, lead) = ((await MembersAsync())[0], (await MembersAsync())[1], (await MembersAsync())[2]);
        var version = (await LoadAsync(App.Services, id)).Version;
        Task<Result> Record(IReadOnlyList<MemberVote> votes, decimal? amount = 90_000m) =>
            As("lead.sh", s => s.Get<CommitteeService>().RecordAsync(id, true, amount, 12, 0.13m, "需追加担保人", "收入稳定，负债可控。", votes, version));
        var missingVote = await Record([new(gm, true, null), new(chief, true, null)]);
        (missingVote.Error!.Code, missingVote.Error.Field).ShouldBe((ErrorCodes.CommitteeAllVotesRequired, "memberVotes"));
        var outsider = await Record([new(gm, true, null), new(chief, true, null), new(lead, true, null), new(await UserAsync("officer.sh"), true, null)]);
        outsider.Error!.Code.ShouldBe(ErrorCodes.CommitteeNotMembers);
        var noAmount = await Record([new(gm, true, null), new(chief, true, null)], amount: null);
        noAmount.Error!.All.Select(e => (e.Code, e.Field)).ShouldBe([(ErrorCodes.CommitteeAllVotesRequired, "memberVotes"), (ErrorCodes.Required, "amount")]);
        (await LoadAsync(App.Services, id)).State.ShouldBe(ApplicationState.Approval, "refusals change nothing");

        Ok(await Record([new(gm, true, "同意"), new(chief, true, null), new(lead, false, "收入偏低")]));
        var decided = await LoadAsync(App.Services, id);
        decided.State.ShouldBe(ApplicationState.FinalReview);
        (decided.ApprovedAmount, decided.ApprovedMonths, decided.ApprovedRate, decided.ApprovalConditions).ShouldBe((90_000m, 12, 0.13m, "需追加担保人"));
        decided.ApprovalRule.ShouldBe($"Committee meeting {Today:yyyy-MM-dd}: approved.");
        decided.Transitions.ShouldNotContain(t => t.Comment != null && t.Comment.Contains("收入偏低"));

        var meeting = (await As("gm", s => s.Get<CommitteeService>().MeetingAsync(meetingId))).Value!;
        meeting.Meeting.Status.ShouldBe(MeetingStatus.Completed);
        var item = meeting.Agenda.ShouldHaveSingleItem();
        (item.Approved, item.Amount, item.Minutes).ShouldBe((true, 90_000m, "收入稳定，负债可控。"));
        item.Votes.Select(v => (v.MemberId, v.Member, v.Approve, v.Comment)).ShouldBe([(gm, "陈建国", true, "同意"), (chief, "郑强", true, null), (lead, "杨帆", false, "收入偏低")]);
        (await As("gm", s => s.Get<CommitteeService>().MeetingsAsync(true, 0, 25))).Items.ShouldBeEmpty("a completed meeting is not open");

        // the members' votes: for the roles allowed to see them (default: management, team lead, officer, chief, compliance)
        var forFinance = (await As("finance", s => s.Get<ApplicationQueries>().DetailAsync(id))).Value!;
        forFinance.Committee.ShouldBeNull();
        forFinance.CommitteeVotesHidden.ShouldBeTrue();
        var committee = (await As("officer.sh", s => s.Get<ApplicationQueries>().DetailAsync(id))).Value!.Committee!;
        var zh = TestApplications.InLanguage(App.Services, "zh-CN", l => ApprovalRuleText.DescribeCommittee(committee.MeetingDate, committee.Votes, l));
        zh.ShouldBe($"{Today:yyyy-MM-dd} 审贷会：陈建国 同意（同意）；郑强 同意；杨帆 否决（收入偏低）");
    }

    [Fact]
    public async Task Planning_SaysEverythingWrongAtOnce_AndKeepsToTheRules()
    {
        var sh = await TeamAsync("SH01");
        var members = await MembersAsync();
        var service = (string user) => (Func<Guid?, DateOnly?, IReadOnlyList<Guid>, Task<Result<Guid>>>)((t, d, m) => As(user, s => s.Get<CommitteeService>().PlanAsync(t, d, m)));

        var both = await service("lead.sh")(sh, Today.AddDays(-1), members[..2]);
        both.Error!.All.Select(e => (e.Code, e.Field)).ShouldBe([(ErrorCodes.CommitteeDateInPast, "date"), (ErrorCodes.CommitteeMembersRequired, "members")]);
        var empty = await service("lead.sh")(null, null, []);
        empty.Error!.All.Select(e => e.Field).ShouldBe(["team", "date", "members"]);
        (await service("lead.sh")(sh, Today, [members[0], members[0], members[1]])).Error!.Code.ShouldBe(ErrorCodes.CommitteeMembersRequired, "the same person twice");
        (await service("lead.sh")(sh, Today, [members[0], members[1], await UserAsync("officer.sh")])).Error!.Code.ShouldBe(ErrorCodes.CommitteeMemberNotEligible);
        (await service("officer.sh")(sh, Today, members)).Error!.Code.ShouldBe(ErrorCodes.CommitteeMeetingForbidden);
        (await service("lead")(sh, Today, members)).Error!.Code.ShouldBe(ErrorCodes.CommitteeMeetingForbidden, "another team's lead");
        (await service("lead")(await TeamAsync("HZ01"), Today, members)).Error!.Code.ShouldBe(ErrorCodes.CommitteeCentralizedTeam);
        (await Sql.ScalarAsync<long>("SELECT count(*) FROM committee_meetings")).ShouldBe(0L, "nothing was planned by the refusals");

        await PlanAsync(Today.AddDays(7));
        var again = await service("lead.sh")(sh, Today.AddDays(7), members);
        (again.Error!.Code, again.Error.Field).ShouldBe((ErrorCodes.CommitteeMeetingExists, "date"));
        // another team's lead does not see 上海一队's meetings; its region's director and the GM do
        (await As("lead", s => s.Get<CommitteeService>().MeetingsAsync(false, 0, 25))).Total.ShouldBe(0);
        (await As("director", s => s.Get<CommitteeService>().MeetingsAsync(false, 0, 25))).Total.ShouldBe(1, "上海一队 is in the director's region");
        (await As("gm", s => s.Get<CommitteeService>().MeetingsAsync(false, 0, 25))).Total.ShouldBe(1);
    }

    [Fact]
    public async Task AMeetingTakesFilesUntilItsDay_AndItsDecisionsOnlyFromItsDay()
    {
        var id = await ToApprovalAsync(App.Services, "上海市徐汇区", "officer.sh", "lead.sh");
        var sh = await TeamAsync("SH01");
        var past = Guid.CreateVersion7();
        await Sql.ExecAsync("""
            INSERT INTO committee_meetings ("Id", "TeamId", "MeetingDate", "MemberIds", "Members", "CreatedBy", "CreatedAt")
            VALUES (@id, @team, @date, '{}', '{}', @team, now())
            """, ("id", past), ("team", sh), ("date", Today.AddDays(-3)));
        var late = await As("lead.sh", async s => await s.Get<CommitteeService>().RegisterAsync(id, past, (await LoadAsync(App.Services, id)).Version));
        (late.Error!.Code, late.Error.Field).ShouldBe((ErrorCodes.CommitteeMeetingPast, "meeting"));
        (await As("lead.sh", async s => await s.Get<CommitteeService>().RegisterAsync(id, null, (await LoadAsync(App.Services, id)).Version))).Error!.Field.ShouldBe("meeting");

        var coming = await PlanAsync(Today.AddDays(2));
        Ok(await As("lead.sh", async s => await s.Get<CommitteeService>().RegisterAsync(id, coming, (await LoadAsync(App.Services, id)).Version)));
        var members = await MembersAsync();
        IReadOnlyList<MemberVote> votes = members.Select(m => new MemberVote(m, true, null)).ToList();
        var early = await As("lead.sh", async s => await s.Get<CommitteeService>().RecordAsync(id, true, 80_000m, 12, 0.13m, null, null, votes, (await LoadAsync(App.Services, id)).Version));
        early.Error!.Code.ShouldBe(ErrorCodes.CommitteeMeetingNotHeld);
        early.Error.Args.ShouldBe([Today.AddDays(2)]);

        App.Clock.Advance(TimeSpan.FromDays(2));
        Ok(await As("lead.sh", async s => await s.Get<CommitteeService>().RecordAsync(id, false, null, null, null, "负债过高", null, votes.Select(v => v with { Approve = false }).ToList(), (await LoadAsync(App.Services, id)).Version)));
        (await LoadAsync(App.Services, id)).State.ShouldBe(ApplicationState.Rejected);
        (await As("gm", s => s.Get<CommitteeService>().MeetingAsync(coming))).Value!.Meeting.Status.ShouldBe(MeetingStatus.Completed);
        (await As("gm", s => s.Get<CommitteeService>().MeetingAsync(past))).Value!.Meeting.Status.ShouldBe(MeetingStatus.AwaitingMinutes);
    }

    [Fact]
    public async Task CommitteeVotes_VisibleOnlyToTheConfiguredRoles()
    {
        var id = await ToApprovalAsync(App.Services, "上海市徐汇区", "officer.sh", "lead.sh");
        var meeting = await PlanAsync(Today);
        Ok(await As("lead.sh", async s => await s.Get<CommitteeService>().RegisterAsync(id, meeting, (await LoadAsync(App.Services, id)).Version)));
        var votes = (await MembersAsync()).Select(m => new MemberVote(m, true, null)).ToList();
        Ok(await As("lead.sh", async s => await s.Get<CommitteeService>().RecordAsync(id, true, 80_000m, 12, 0.13m, null, null, votes, (await LoadAsync(App.Services, id)).Version)));

        using var gmOnly = new AppFactory { Connection = App.DatabaseConnection };
        gmOnly.Settings["Committee:DecisionVisibleTo"] = "GeneralManager, Compliance";
        async Task<ApplicationDetail> DetailAs(string user)
        {
            await using var scope = await ActingAs.UserAsync(gmOnly.Services, user);
            return (await scope.Get<ApplicationQueries>().DetailAsync(id)).Value!;
        }

        (await DetailAs("gm")).Committee.ShouldNotBeNull();
        var lead = await DetailAs("lead.sh");
        lead.Committee.ShouldBeNull();
        lead.CommitteeVotesHidden.ShouldBeTrue();
        lead.Application.ApprovedAmount.ShouldBe(80_000m); // the outcome and figures stay visible to everyone in scope
    }
}
