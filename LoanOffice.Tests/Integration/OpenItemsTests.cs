using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Home;
using Shouldly;
using static LoanOffice.Tests.Support.TestApplications;

namespace LoanOffice.Tests.Integration;

/// <summary>The home page's "my open items" follow the work: a file counts where it waits and stops counting once handled.</summary>
public class OpenItemsTests(IsolatedApp app) : ServicingTestBase(app)
{
    private async Task<Dictionary<string, int>> ItemsOf(string user) =>
        (await As(App.Services, user, s => s.Get<OpenItems>().ForAsync())).ToDictionary(i => i.Test, i => i.Count);

    [Fact]
    public async Task EachRole_SeesTheCountsOfItsOwnLists_AndTheyMoveWithTheFile()
    {
        (await ItemsOf("officer")).Keys.ShouldBe(["open-pool", "open-tasks", "open-overdue", "open-cases"]);
        (await ItemsOf("approver")).Keys.ShouldBe(["open-votes"]);
        (await ItemsOf("finance")).Keys.ShouldBe(["open-finance", "open-overdue"]);
        (await ItemsOf("admin")).Keys.ShouldBe(["open-dead-letters"]);
        (await ItemsOf("lead")).Keys.ShouldNotContain("open-meetings", "杭州团队 approves centrally: no committee counts");
        (await ItemsOf("lead.sh")).Keys.ShouldContain("open-meetings");

        var (reviewBefore, tasksBefore, votesBefore) = ((await ItemsOf("reviewer"))["open-review"], (await ItemsOf("officer"))["open-tasks"], (await ItemsOf("approver"))["open-votes"]);
        var id = await SubmittedAsync(App.Services, "杭州市西湖区", "officer", "lead");
        (await ItemsOf("reviewer"))["open-review"].ShouldBe(reviewBefore + 1);
        (await ItemsOf("officer"))["open-tasks"].ShouldBe(tasksBefore + 1);

        Ok(await As(App.Services, "reviewer", s => s.Get<ApplicationWorkflow>().ClaimAsync(id)));
        Ok(await As(App.Services, "reviewer", async s => await s.Get<ApplicationWorkflow>().PassReviewAsync(id, "资料齐全", (await LoadAsync(App.Services, id)).Version)));
        (await ItemsOf("reviewer"))["open-review"].ShouldBe(reviewBefore);
        (await ItemsOf("approver"))["open-votes"].ShouldBe(votesBefore + 1);
        Ok(await As(App.Services, "approver", s => s.Get<ApprovalService>().VoteAsync(id, true, 100_000m, 12, null)));
        (await ItemsOf("approver"))["open-votes"].ShouldBe(votesBefore, "voted: no longer waiting for this approver");
        (await ItemsOf("approver2"))["open-votes"].ShouldBe(votesBefore + 1);
    }
}
