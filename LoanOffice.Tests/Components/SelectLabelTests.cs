using Bunit;
using LoanOffice.Web.Features.Applications;
using Shouldly;

namespace LoanOffice.Tests.Components;

/// <summary>A chosen team or product shows its name in the select, never an id or a code.</summary>
public class SelectLabelTests() : ComponentTestBase("en")
{
    [Fact]
    public void TheReviewFilters_ShowTheChosenTeamsName_AndTheProductsName()
    {
        var team = Guid.CreateVersion7();
        var filters = Render<ReviewFilters>(p => p
            .Add(f => f.Filter, QueueFilter.None with { TeamId = team, ProductCode = "CREDIT" })
            .Add(f => f.Teams, [(team, "Hangzhou Team")])
            .Add(f => f.Products, ["CREDIT", "MORTGAGE"]));

        var shown = filters.FindAll("input").Select(i => i.GetAttribute("value")).ToList();
        shown.ShouldContain("Hangzhou Team");
        shown.ShouldContain("Credit loan");
        shown.ShouldNotContain(team.ToString());
        shown.ShouldNotContain("CREDIT");
    }
}
