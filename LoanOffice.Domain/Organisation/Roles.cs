namespace LoanOffice.Domain.Organisation;

/// <summary>The staff roles of DOMAIN.md. The code is what Identity stores.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string GeneralManager = "GeneralManager";
    public const string RegionalDirector = "RegionalDirector";
    public const string TeamLead = "TeamLead";
    public const string LoanOfficer = "LoanOfficer";
    public const string Reviewer = "Reviewer";
    public const string Approver = "Approver";
    public const string ChiefApprover = "ChiefApprover";
    public const string Finance = "Finance";
    public const string Compliance = "Compliance";

    public static readonly IReadOnlyList<string> All =
    [
        Admin, GeneralManager, RegionalDirector, TeamLead, LoanOfficer,
        Reviewer, Approver, ChiefApprover, Finance, Compliance,
    ];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
