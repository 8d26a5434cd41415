using Bunit;
using LoanOffice.Domain.Applications;
using LoanOffice.Web.Features.Applications;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Transition = LoanOffice.Domain.Applications.Transition;
using Shouldly;

namespace LoanOffice.Tests.Components;

public class VoteFormTests : ComponentTestBase
{
    private (IRenderedComponent<VoteForm> Form, List<(bool, decimal?, int?, string?)> Votes) Render()
    {
        var votes = new List<(bool, decimal?, int?, string?)>();
        var form = Render<VoteForm>(p => p
            .Add(f => f.AmountUnit, 100m)
            .Add(f => f.OnVote, EventCallback.Factory.Create<(bool Approve, decimal? Amount, int? Months, string? Comment)>(this, v => votes.Add(v))));
        return (form, votes);
    }

    [Fact]
    public void Approve_WithAmountAndTerm_RaisesTheVote()
    {
        var (form, votes) = Render();
        form.Find("#vote-amount").Change("120000");
        form.Find("#vote-months").Change("18");
        form.Find("#vote-comment").Change("经营稳定");
        form.Find("[data-test=vote-submit]").Click();
        votes.ShouldBe([(true, 120000m, 18, "经营稳定")]);
    }

    [Fact]
    public void ARefusedVote_ShowsTheServersMessageOnItsField_AndTheNextRefusalShowsItsOwn()
    {
        var (form, _) = Render();
        form.Render(p => p.Add(f => f.Refusal, LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.ProductAmountRange, 5_000m, 300_000m, "信用贷").At("amount")));
        form.Find(".mud-input-helper-text.mud-input-error").TextContent.ShouldContain("信用贷的金额须在 ¥5,000.00 至 ¥300,000.00 之间");
        // corrected and refused again for another reason: that message shows, nothing goes silent
        form.Render(p => p.Add(f => f.Refusal, LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.VoteAlreadyVoted)));
        form.FindAll(".mud-input-helper-text.mud-input-error").ShouldBeEmpty();
        form.Find("[data-test=vote-refused]").TextContent.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Approve_WithoutAmount_OrOffTheUnit_ShowsFieldErrorsAndRaisesNothing()
    {
        var (form, votes) = Render();
        form.Find("[data-test=vote-submit]").Click();
        form.Markup.ShouldContain("请输入同意的金额。");
        form.Markup.ShouldContain("请输入期限（整月）。");
        form.Find("#vote-amount").Change("120050");
        form.Find("#vote-months").Change("12");
        form.Find("[data-test=vote-submit]").Click();
        form.Markup.ShouldContain("金额须为 100 元的整数倍");
        votes.ShouldBeEmpty();
    }

    [Fact]
    public void Reject_NeedsAReason_ThenRaisesARejectWithoutFigures()
    {
        var (form, votes) = Render();
        form.FindAll("input[type=radio]")[1].Click(); // the "reject" radio
        form.Find("[data-test=vote-submit]").Click();
        form.Markup.ShouldContain("请填写否决理由。");
        votes.ShouldBeEmpty();
        form.Find("#vote-comment").Change("负债率过高");
        form.Find("[data-test=vote-submit]").Click();
        votes.ShouldBe([(false, null, null, "负债率过高")]);
    }
}

public class DisputePanelTests : ComponentTestBase
{
    private static readonly VoteRow[] Votes =
    [
        new("审批人员 吴昊", true, 50_000m, 12, "同意", DateTimeOffset.UtcNow),
        new("审批人员 钱坤", true, 100_000m, 12, null, DateTimeOffset.UtcNow),
        new("审批人员 许诺", true, 80_000m, 24, "期限放长", DateTimeOffset.UtcNow),
    ];

    [Fact]
    public void Shows_EveryVoteAndTheRuleThatFailed_AndSettlesWithAComment()
    {
        var settled = new List<(bool, decimal?, int?, string)>();
        var panel = Render<DisputePanel>(p => p
            .Add(d => d.Votes, Votes)
            .Add(d => d.Explanation, "amounts 50000, 80000, 100000: spread 100.00 % > 30 %, a dispute")
            .Add(d => d.AmountDisputed, true)
            .Add(d => d.MonthsDisputed, true)
            .Add(d => d.OnSettle, EventCallback.Factory.Create<(bool Approve, decimal? Amount, int? Months, string Comment)>(this, v => settled.Add(v))));
        panel.FindAll("[data-test=votes-table] [data-test=vote-row]").Count.ShouldBe(3);
        panel.Find("[data-test=votes-table]").TextContent.ShouldContain("¥100,000.00");
        panel.Find("[data-test=dispute-rule]").TextContent.ShouldContain("> 30 %");

        panel.Find("[data-test=settle-approve]").Click();
        panel.Markup.ShouldContain("请填写决定意见。");
        settled.ShouldBeEmpty();

        panel.Find("#settle-amount").Change("70000");
        panel.Find("#settle-months").Change("18");
        panel.Find("#settle-comment").Change("取中间值");
        panel.Find("[data-test=settle-approve]").Click();
        settled.ShouldBe([(true, 70000m, 18, "取中间值")]);
    }
}

public class ReviewFiltersTests : ComponentTestBase
{
    [Fact]
    public void ChangingAFilter_RaisesTheNewFilter_KeepingTheOthers()
    {
        var raised = new List<QueueFilter>();
        var team = Guid.NewGuid();
        var start = new QueueFilter(null, team, null, null, null, null);
        Render<MudPopoverProvider>();
        var filters = Render<ReviewFilters>(p => p
            .Add(f => f.Filter, start)
            .Add(f => f.Teams, [(team, "杭州团队")])
            .Add(f => f.Products, ["CREDIT", "MORTGAGE"])
            .Add(f => f.FilterChanged, EventCallback.Factory.Create<QueueFilter>(this, f => raised.Add(f))));
        filters.Find("[data-test=filter-min]").Input("50000");
        filters.WaitForAssertion(() => raised.ShouldNotBeEmpty(), TimeSpan.FromSeconds(3));
        raised[^1].MinAmount.ShouldBe(50000m);
        raised[^1].TeamId.ShouldBe(team);
        raised[^1].SortBy.ShouldBe("age");
    }

    [Fact]
    public void Reset_ClearsEveryFilter_AndIsDisabledWhenNothingIsFiltered()
    {
        var raised = new List<QueueFilter>();
        Render<MudPopoverProvider>();
        var filters = Render<ReviewFilters>(p => p
            .Add(f => f.Filter, new QueueFilter([ApplicationState.Submitted], Guid.NewGuid(), "CREDIT", 1000m, 5000m, 4, "amount", true))
            .Add(f => f.FilterChanged, EventCallback.Factory.Create<QueueFilter>(this, f => raised.Add(f))));
        filters.Find("[data-test=filter-reset]").Click();
        raised.ShouldHaveSingleItem().ShouldBe(QueueFilter.None);
        filters.Render(p => p.Add(f => f.Filter, QueueFilter.None));
        filters.Find("[data-test=filter-reset]").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public void Filters_AreLabelledInTheUsersLanguage()
    {
        Render<MudPopoverProvider>();
        var filters = Render<ReviewFilters>(p => p.Add(f => f.Filter, new QueueFilter(null, null, null, null, null, null)));
        filters.Markup.ShouldContain("最低金额");
        filters.Markup.ShouldContain("等待≥小时");
        filters.Markup.ShouldContain("等待最久");
    }
}

public class ApplicationTableTests : ComponentTestBase
{
    [Fact]
    public void TheRequestedAmountColumn_ShowsWhatWasRequested_AndTheApprovedFiguresBeside()
    {
        var now = DateTimeOffset.UtcNow;
        ApplicationRow Row(decimal requested, decimal? approved) => new(Guid.NewGuid(), "SQ-1", "张三", "杭州团队", "CREDIT", requested, 12,
            approved, approved is null ? null : 6, ApplicationState.FinalReview, now, now, null, null, 1);
        var table = Render<ApplicationTable>(p => p.Add(t => t.Rows, [Row(150_000m, 100_000m), Row(80_000m, null)]));
        table.FindAll("[data-test=requested-amount]").Select(c => c.TextContent.Trim()).ShouldBe(["¥150,000.00", "¥80,000.00"]);
        table.FindAll("[data-test=approved-amount]").Select(c => c.TextContent.Trim()).ShouldBe(["¥100,000.00 / 6", "—"]);
        table.Markup.ShouldContain("申请金额");
    }
}

public class TransitionButtonsTests : ComponentTestBase
{
    private IRenderedComponent<TransitionButtons> Render(ApplicationState state, params string[] roles) =>
        Render<TransitionButtons>(p => p.Add(b => b.State, state).Add(b => b.Roles, roles.ToHashSet()));

    private static string[] Buttons(IRenderedComponent<TransitionButtons> c) =>
        c.FindAll("[data-test^=move-]").Select(b => b.GetAttribute("data-test")!).ToArray();

    [Fact]
    public void TheButtons_AreTheTablesReasonMoves_ForTheUsersRoles()
    {
        // an officer collecting documents may withdraw (the table allows it), not reject
        Buttons(Render(ApplicationState.Collecting, LoanOffice.Domain.Organisation.Roles.LoanOfficer)).ShouldBe(["move-withdraw"]);
        // the team lead may reject or withdraw a file in the pool
        Buttons(Render(ApplicationState.Pool, LoanOffice.Domain.Organisation.Roles.TeamLead)).ShouldBe(["move-reject", "move-withdraw"]);
        // the reviewer returns or rejects in preliminary review
        Buttons(Render(ApplicationState.PreliminaryReview, LoanOffice.Domain.Organisation.Roles.Reviewer)).ShouldBe(["move-return-for-documents", "move-reject"]);
        // the chief rejects in final review, after approval and after the contract
        foreach (var state in new[] { ApplicationState.FinalReview, ApplicationState.Approved, ApplicationState.Contracted })
            Buttons(Render(state, LoanOffice.Domain.Organisation.Roles.ChiefApprover)).ShouldContain("move-reject");
        // nothing after disbursement, and nothing for a role the table does not name
        Buttons(Render(ApplicationState.Disbursed, LoanOffice.Domain.Organisation.Roles.TeamLead)).ShouldBeEmpty();
        Buttons(Render(ApplicationState.Collecting, LoanOffice.Domain.Organisation.Roles.Finance)).ShouldBeEmpty();
    }

    [Fact]
    public void AButton_RaisesItsTransition_InTheUsersLanguage()
    {
        Transition? chosen = null;
        var c = Render<TransitionButtons>(p => p.Add(b => b.State, ApplicationState.Collecting)
            .Add(b => b.Roles, new HashSet<string> { LoanOffice.Domain.Organisation.Roles.LoanOfficer })
            .Add(b => b.OnChoose, EventCallback.Factory.Create<Transition>(this, t => chosen = t)));
        c.Find("[data-test=move-withdraw]").TextContent.ShouldContain("撤回申请");
        c.Find("[data-test=move-withdraw]").Click();
        chosen!.To.ShouldBe(ApplicationState.Withdrawn);
    }
}
