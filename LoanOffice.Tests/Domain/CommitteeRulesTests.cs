using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class CommitteeRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid();

    [Theory]
    [InlineData(0, 0, 0, MeetingStatus.Planned)]
    [InlineData(0, 3, 0, MeetingStatus.Planned)]
    [InlineData(0, 3, 1, MeetingStatus.AwaitingMinutes)] // under way: some decided
    [InlineData(-1, 3, 0, MeetingStatus.AwaitingMinutes)] // held, nothing recorded yet
    [InlineData(-1, 0, 0, MeetingStatus.AwaitingMinutes)]
    [InlineData(-1, 3, 3, MeetingStatus.Completed)]
    [InlineData(2, 1, 1, MeetingStatus.Completed)]
    public void Status_FollowsTheDateAndTheAgenda(int days, int items, int decided, MeetingStatus expected) =>
        CommitteeRules.StatusOf(Today.AddDays(days), Today, items, decided).ShouldBe(expected);

    [Fact]
    public void Plan_NeedsThreeDifferentEligibleMembers_AndADateNotPast()
    {
        CommitteeRules.CheckPlan(Today, Today, [A, B, C], _ => true).ShouldBeNull();
        CommitteeRules.CheckPlan(Today, Today, [A, B], _ => true)!.Code.ShouldBe(ErrorCodes.CommitteeMembersRequired);
        CommitteeRules.CheckPlan(Today, Today, [A, B, B], _ => true)!.Code.ShouldBe(ErrorCodes.CommitteeMembersRequired);
        CommitteeRules.CheckPlan(Today, Today, [A, B, C], id => id != C)!.Code.ShouldBe(ErrorCodes.CommitteeMemberNotEligible);
        var both = CommitteeRules.CheckPlan(Today.AddDays(-1), Today, [A], _ => true)!;
        both.All.Select(e => e.Field).ShouldBe(["date", "members"]);
    }

    [Fact]
    public void Minutes_OnOrAfterTheDay_OneVoteFromEachMemberOnly()
    {
        Guid[] members = [A, B, C];
        MemberVote[] all = [new(A, true, null), new(B, false, "x"), new(C, true, null)];
        CommitteeRules.CheckMinutes(Today, Today, members, all).ShouldBeNull();
        CommitteeRules.CheckMinutes(Today.AddDays(-5), Today, members, all).ShouldBeNull();
        CommitteeRules.CheckMinutes(Today.AddDays(1), Today, members, all)!.Code.ShouldBe(ErrorCodes.CommitteeMeetingNotHeld);
        CommitteeRules.CheckMinutes(Today, Today, members, all[..2])!.Code.ShouldBe(ErrorCodes.CommitteeAllVotesRequired);
        CommitteeRules.CheckMinutes(Today, Today, members, [.. all, new(Guid.NewGuid(), true, null)])!.Code.ShouldBe(ErrorCodes.CommitteeNotMembers);
        CommitteeRules.CheckMinutes(Today, Today, members, [.. all[..2], new(B, true, null)])!.Code.ShouldBe(ErrorCodes.CommitteeNotMembers);
    }
}
