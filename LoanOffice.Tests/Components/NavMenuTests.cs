using System.Security.Claims;
using Bunit;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Shouldly;

namespace LoanOffice.Tests.Components;

public class NavMenuTests : ComponentTestBase
{
    public static TheoryData<string, string[]> MenusByRole => new()
    {
        { Roles.Admin, ["nav-home", "nav-field-map", "nav-field-tracks", "nav-people", "nav-users", "nav-organisation", "nav-jobs", "nav-import", "nav-calculator", "nav-audit"] },
        { Roles.Compliance, ["nav-home", "nav-cockpit", "nav-review", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator", "nav-reports", "nav-audit"] },
        { Roles.LoanOfficer, ["nav-home", "nav-field-leave", "nav-pool", "nav-tasks", "nav-loans", "nav-collections", "nav-people", "nav-calculator"] },
        { Roles.TeamLead, ["nav-home", "nav-cockpit", "nav-field-map", "nav-field-tracks", "nav-field-leave", "nav-pool", "nav-review", "nav-approvals", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator"] },
        { Roles.GeneralManager, ["nav-home", "nav-cockpit", "nav-field-map", "nav-field-tracks", "nav-field-leave", "nav-review", "nav-committee", "nav-loans", "nav-collections", "nav-people", "nav-calculator", "nav-reports"] },
        { Roles.Finance, ["nav-home", "nav-finance", "nav-bank-files", "nav-loans", "nav-people", "nav-calculator"] },
        { Roles.Approver, ["nav-home", "nav-approvals", "nav-committee", "nav-people", "nav-calculator"] },
    };

    private IRenderedComponent<CascadingValue<Task<AuthenticationState>>> RenderFor(params string[] roles)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "someone"), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test");
        var state = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity)));
        return Render<CascadingValue<Task<AuthenticationState>>>(p => p
            .Add(c => c.Value, state)
            .AddChildContent<NavMenu>());
    }

    [Theory]
    [MemberData(nameof(MenusByRole))]
    public void NavMenu_ShowsExactlyTheEntriesOfTheRole(string role, string[] expected)
    {
        var menu = RenderFor(role);
        var shown = menu.FindAll("[data-test^=nav-]").Select(e => e.GetAttribute("data-test")).Where(t => t != "nav-menu").ToList();
        shown.ShouldBe(expected);
    }

    [Fact]
    public void NavMenu_ForAnonymousUser_ShowsNothing()
    {
        var state = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
        var menu = Render<CascadingValue<Task<AuthenticationState>>>(p => p.Add(c => c.Value, state).AddChildContent<NavMenu>());
        menu.FindAll("a").ShouldBeEmpty();
    }

    [Fact]
    public void NavMenu_LabelsAreInTheUsersLanguage()
    {
        var menu = RenderFor(Roles.Admin);
        menu.Find("[data-test=nav-audit]").TextContent.ShouldContain("审计轨迹");
        menu.Find("[data-test=nav-organisation]").TextContent.ShouldContain("区域与团队");
    }
}
