namespace LoanOffice.Domain.Organisation;

/// <summary>How a team's applications are approved (可按团队配置).</summary>
public enum ApprovalMode
{
    /// <summary>审贷会模式: an offline committee meeting whose decision is recorded.</summary>
    Committee,

    /// <summary>集中审批模式: the team's approver group votes online.</summary>
    Centralized,
}
