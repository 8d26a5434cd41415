using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;

namespace LoanOffice.Domain.Applications;

/// <summary>The life of an application (贷前 → 贷中), DOMAIN.md.</summary>
public enum ApplicationState
{
    Received,
    Pool,
    Assigned,
    Collecting,
    Submitted,
    PreliminaryReview,
    Approval,
    FinalReview,
    Approved,
    Contracted,
    Disbursed,
    Rejected,
    Withdrawn,
}

/// <summary>One allowed move: who may make it and whether a reason is required.</summary>
public sealed record Transition(ApplicationState From, ApplicationState To, string Name, IReadOnlyList<string> Roles, bool ReasonRequired);

/// <summary>
/// The application state machine as an explicit table. <see cref="SystemActor"/> stands for the system's own moves
/// (routing to a team pool, an aggregation that decides). Rejection and withdrawal are possible from every state
/// before Disbursed; returns (退回补件) go back to Collecting. Returns and rejections require a reason.
/// </summary>
public static class ApplicationStateMachine
{
    public const string SystemActor = "System";

    private static readonly ApplicationState[] BeforeDisbursed =
    [
        ApplicationState.Received, ApplicationState.Pool, ApplicationState.Assigned, ApplicationState.Collecting,
        ApplicationState.Submitted, ApplicationState.PreliminaryReview, ApplicationState.Approval,
        ApplicationState.FinalReview, ApplicationState.Approved, ApplicationState.Contracted,
    ];

    public static IReadOnlyList<Transition> Table { get; } = BuildTable();

    private static List<Transition> BuildTable()
    {
        var t = new List<Transition>
        {
            new(ApplicationState.Received, ApplicationState.Pool, "route", [SystemActor, Roles.TeamLead], false),
            new(ApplicationState.Pool, ApplicationState.Assigned, "assign", [Roles.TeamLead, Roles.LoanOfficer], false),
            new(ApplicationState.Assigned, ApplicationState.Collecting, "start-collecting", [Roles.LoanOfficer], false),
            new(ApplicationState.Collecting, ApplicationState.Submitted, "submit", [Roles.LoanOfficer], false),
            new(ApplicationState.Submitted, ApplicationState.PreliminaryReview, "start-review", [Roles.Reviewer], false),
            new(ApplicationState.PreliminaryReview, ApplicationState.Approval, "pass-review", [Roles.Reviewer], false),
            new(ApplicationState.PreliminaryReview, ApplicationState.Collecting, "return-for-documents", [Roles.Reviewer], true),
            // the aggregation (System), the chief settling a dispute, or the committee's secretary (team lead or an approver)
            new(ApplicationState.Approval, ApplicationState.FinalReview, "approval-decided", [SystemActor, Roles.ChiefApprover, Roles.Approver, Roles.TeamLead], false),
            new(ApplicationState.FinalReview, ApplicationState.Approved, "confirm", [Roles.ChiefApprover], false),
            new(ApplicationState.FinalReview, ApplicationState.Collecting, "return-for-documents", [Roles.ChiefApprover], true),
            new(ApplicationState.Approved, ApplicationState.Contracted, "sign-contract", [Roles.Finance], false),
            new(ApplicationState.Contracted, ApplicationState.Disbursed, "disburse", [Roles.Finance], false),
        };
        foreach (var from in BeforeDisbursed)
        {
            t.Add(new(from, ApplicationState.Rejected, "reject", RejectRoles(from), true));
            t.Add(new(from, ApplicationState.Withdrawn, "withdraw", [Roles.LoanOfficer, Roles.TeamLead], true));
        }

        return t;
    }

    /// <summary>Who may reject depends on where the file is: the stage's decision makers.</summary>
    private static string[] RejectRoles(ApplicationState from) => from switch
    {
        ApplicationState.PreliminaryReview => [Roles.Reviewer],
        ApplicationState.Approval => [Roles.ChiefApprover, Roles.Approver, Roles.TeamLead, SystemActor],
        ApplicationState.FinalReview or ApplicationState.Approved or ApplicationState.Contracted => [Roles.ChiefApprover],
        _ => [Roles.TeamLead],
    };

    public static IEnumerable<Transition> From(ApplicationState state) => Table.Where(t => t.From == state);

    /// <summary>Checks a move: it must exist, one of the actor's roles must be allowed, and a required reason given.</summary>
    public static Result<Transition> Check(ApplicationState from, ApplicationState to, IEnumerable<string> actorRoles, string? reason)
    {
        var transition = Table.FirstOrDefault(t => t.From == from && t.To == to);
        if (transition is null)
        {
            var allowed = string.Join(", ", From(from).Select(t => t.To).Distinct());
            return Error.Of(ErrorCodes.ApplicationIllegalTransition, from, to, allowed.Length == 0 ? "—" : allowed);
        }

        if (!actorRoles.Any(transition.Roles.Contains))
            return Error.Of(ErrorCodes.ApplicationRoleNotAllowed, from, to, string.Join(", ", transition.Roles));
        if (transition.ReasonRequired && string.IsNullOrWhiteSpace(reason))
            return Error.Of(ErrorCodes.ApplicationReasonRequired, transition.Name).At("reason");
        return transition;
    }
}
