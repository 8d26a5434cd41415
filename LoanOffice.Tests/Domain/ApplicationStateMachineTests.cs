using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Organisation;
using Shouldly;

namespace LoanOffice.Tests.Domain;

public class ApplicationStateMachineTests
{
    [Fact]
    public void HappyPath_EachStepIsAllowedForItsRole()
    {
        (ApplicationState, ApplicationState, string)[] path =
        [
            (ApplicationState.Received, ApplicationState.Pool, ApplicationStateMachine.SystemActor),
            (ApplicationState.Pool, ApplicationState.Assigned, Roles.TeamLead),
            (ApplicationState.Assigned, ApplicationState.Collecting, Roles.LoanOfficer),
            (ApplicationState.Collecting, ApplicationState.Submitted, Roles.LoanOfficer),
            (ApplicationState.Submitted, ApplicationState.PreliminaryReview, Roles.Reviewer),
            (ApplicationState.PreliminaryReview, ApplicationState.Approval, Roles.Reviewer),
            (ApplicationState.Approval, ApplicationState.FinalReview, ApplicationStateMachine.SystemActor),
            (ApplicationState.FinalReview, ApplicationState.Approved, Roles.ChiefApprover),
            (ApplicationState.Approved, ApplicationState.Contracted, Roles.Finance),
            (ApplicationState.Contracted, ApplicationState.Disbursed, Roles.Finance),
        ];
        foreach (var (from, to, role) in path)
            ApplicationStateMachine.Check(from, to, [role], null).IsSuccess.ShouldBeTrue($"{from} → {to} as {role}");
    }

    [Fact]
    public void IllegalMove_SaysWhereTheFileCanGo()
    {
        var r = ApplicationStateMachine.Check(ApplicationState.Collecting, ApplicationState.Approved, [Roles.ChiefApprover], null);
        r.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationIllegalTransition);
        LoanOffice.Web.Hosting.ErrorText.Render(r.Error, System.Globalization.CultureInfo.InvariantCulture).ShouldContain("Submitted");
        LoanOffice.Web.Hosting.ErrorText.Render(ApplicationStateMachine.Check(ApplicationState.Disbursed, ApplicationState.Rejected, [Roles.ChiefApprover], "x").Error!, System.Globalization.CultureInfo.InvariantCulture).ShouldContain("final state");
    }

    [Fact]
    public void WrongRole_IsForbidden()
    {
        var r = ApplicationStateMachine.Check(ApplicationState.FinalReview, ApplicationState.Approved, [Roles.Reviewer, Roles.LoanOfficer], null);
        r.Error!.Code.ShouldBe(LoanOffice.Domain.Common.ErrorCodes.ApplicationRoleNotAllowed);
        LoanOffice.Web.Hosting.ErrorText.Render(r.Error, System.Globalization.CultureInfo.InvariantCulture).ShouldContain(Roles.ChiefApprover);
    }

    [Fact]
    public void ReturnsAndRejections_RequireAReason()
    {
        ApplicationStateMachine.Check(ApplicationState.PreliminaryReview, ApplicationState.Collecting, [Roles.Reviewer], "").Error!.Field.ShouldBe("reason");
        ApplicationStateMachine.Check(ApplicationState.PreliminaryReview, ApplicationState.Collecting, [Roles.Reviewer], "收入证明缺失").IsSuccess.ShouldBeTrue();
        ApplicationStateMachine.Check(ApplicationState.PreliminaryReview, ApplicationState.Rejected, [Roles.Reviewer], null).Error!.Field.ShouldBe("reason");
        ApplicationStateMachine.Check(ApplicationState.FinalReview, ApplicationState.Collecting, [Roles.ChiefApprover], "补充担保").IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void EveryStateBeforeDisbursed_CanBeRejectedAndWithdrawn_NoneAfter()
    {
        foreach (var state in Enum.GetValues<ApplicationState>())
        {
            var before = state is not (ApplicationState.Disbursed or ApplicationState.Rejected or ApplicationState.Withdrawn);
            ApplicationStateMachine.From(state).Any(t => t.To == ApplicationState.Rejected).ShouldBe(before, state.ToString());
            ApplicationStateMachine.From(state).Any(t => t.To == ApplicationState.Withdrawn).ShouldBe(before, state.ToString());
        }
    }
}
