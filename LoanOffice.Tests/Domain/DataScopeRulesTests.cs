using LoanOffice.Domain.Organisation;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class DataScopeRulesTests
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid TeamA = Guid.NewGuid();
    private static readonly Guid TeamA2 = Guid.NewGuid(); // same region as A
    private static readonly Guid TeamB = Guid.NewGuid(); // other region

    private static DataScope Resolve(string[] roles, Guid? team = null, Guid[]? approverTeams = null) =>
        DataScopeRules.Resolve(Me, roles, team, team is null ? [] : [TeamA, TeamA2], approverTeams ?? []);

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.GeneralManager)]
    [InlineData(Roles.Compliance)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.ChiefApprover)]
    [InlineData(Roles.Finance)]
    public void Resolve_CompanyWideRole_SeesEverything(string role)
    {
        var scope = Resolve([role], TeamA);
        scope.Level.ShouldBe(ScopeLevel.All);
        scope.CanSee(TeamB, Guid.NewGuid()).ShouldBeTrue();
    }

    [Fact]
    public void Resolve_RegionalDirector_SeesOwnRegionOnly()
    {
        var scope = Resolve([Roles.RegionalDirector], TeamA);
        scope.Level.ShouldBe(ScopeLevel.Region);
        scope.CanSee(TeamA2, Guid.NewGuid()).ShouldBeTrue();
        scope.CanSee(TeamB, null).ShouldBeFalse();
    }

    [Fact]
    public void Resolve_TeamLead_SeesWholeTeamButNoOtherTeam()
    {
        var scope = Resolve([Roles.TeamLead], TeamA);
        scope.Level.ShouldBe(ScopeLevel.Team);
        scope.CanSee(TeamA, Guid.NewGuid()).ShouldBeTrue();
        scope.CanSee(TeamA2, null).ShouldBeFalse();
        scope.CanSee(TeamB, null).ShouldBeFalse();
    }

    [Fact]
    public void Resolve_LoanOfficer_SeesOwnFilesAndTeamPoolOnly()
    {
        var scope = Resolve([Roles.LoanOfficer], TeamA);
        scope.Level.ShouldBe(ScopeLevel.Own);
        scope.CanSee(TeamA, Me).ShouldBeTrue();
        scope.CanSee(TeamA, null).ShouldBeTrue(); // the team pool
        scope.CanSee(TeamA, Guid.NewGuid()).ShouldBeFalse(); // a colleague's file
        scope.CanSee(TeamB, null).ShouldBeFalse();
        scope.CanSee(TeamB, Me).ShouldBeFalse();
    }

    [Fact]
    public void Resolve_Approver_SeesTheTeamsOfItsApproverGroups()
    {
        var scope = Resolve([Roles.Approver], TeamA, approverTeams: [TeamB]);
        scope.Level.ShouldBe(ScopeLevel.Team);
        scope.CanSee(TeamB, Guid.NewGuid()).ShouldBeTrue();
        scope.CanSee(TeamA, null).ShouldBeFalse();
    }

    [Fact]
    public void Resolve_UserWithoutRoles_SeesNothingOfOtherTeams()
    {
        var scope = DataScopeRules.Resolve(Me, [], null, [], []);
        scope.CanSee(TeamA, null).ShouldBeFalse();
        scope.CanSeeUser(Me, null).ShouldBeTrue();
        scope.CanSeeUser(Guid.NewGuid(), TeamA).ShouldBeFalse();
    }

    [Fact]
    public void CanSeeUser_OfficerSeesOnlyThemself_LeadSeesTeam()
    {
        var officer = Resolve([Roles.LoanOfficer], TeamA);
        officer.CanSeeUser(Me, TeamA).ShouldBeTrue();
        officer.CanSeeUser(Guid.NewGuid(), TeamA).ShouldBeFalse();
        var lead = Resolve([Roles.TeamLead], TeamA);
        lead.CanSeeUser(Guid.NewGuid(), TeamA).ShouldBeTrue();
        lead.CanSeeUser(Guid.NewGuid(), TeamB).ShouldBeFalse();
        lead.CanSeeUser(Guid.NewGuid(), null).ShouldBeFalse();
    }
}
