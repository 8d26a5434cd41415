using LoanOffice.Domain.Organisation;
using Microsoft.AspNetCore.Authorization;

namespace LoanOffice.Web.Security;

/// <summary>Named authorization policies. Every page and endpoint declares one; services check the record again.</summary>
public static class Policies
{
    public const string Staff = nameof(Staff);
    public const string ManageUsers = nameof(ManageUsers);
    public const string ManageOrganisation = nameof(ManageOrganisation);
    public const string ReadAudit = nameof(ReadAudit);
    public const string TeamPool = nameof(TeamPool);
    public const string OfficerTasks = nameof(OfficerTasks);
    public const string ReviewQueue = nameof(ReviewQueue);
    public const string Approvals = nameof(Approvals);
    public const string FinanceDesk = nameof(FinanceDesk);
    public const string Loans = nameof(Loans);
    public const string Jobs = nameof(Jobs);
    public const string Collections = nameof(Collections);
    public const string Reports = nameof(Reports);
    public const string Committee = nameof(Committee);
    public const string Import = nameof(Import);
    public const string Cockpit = nameof(Cockpit);
    public const string FieldMap = nameof(FieldMap);
    public const string FieldLeave = nameof(FieldLeave);

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(Roles.All));
        options.AddPolicy(ManageUsers, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(ManageOrganisation, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(ReadAudit, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Compliance));
        options.AddPolicy(TeamPool, p => p.RequireAuthenticatedUser().RequireRole(Roles.TeamLead, Roles.LoanOfficer));
        options.AddPolicy(OfficerTasks, p => p.RequireAuthenticatedUser().RequireRole(Roles.LoanOfficer));
        options.AddPolicy(ReviewQueue, p => p.RequireAuthenticatedUser().RequireRole(Roles.Reviewer, Roles.GeneralManager, Roles.Compliance, Roles.RegionalDirector, Roles.TeamLead));
        options.AddPolicy(Approvals, p => p.RequireAuthenticatedUser().RequireRole(Roles.Approver, Roles.ChiefApprover, Roles.TeamLead));
        options.AddPolicy(FinanceDesk, p => p.RequireAuthenticatedUser().RequireRole(Roles.Finance));
        options.AddPolicy(Loans, p => p.RequireAuthenticatedUser().RequireRole(Roles.Finance, Roles.LoanOfficer, Roles.TeamLead, Roles.Compliance, Roles.GeneralManager, Roles.RegionalDirector, Roles.ChiefApprover));
        options.AddPolicy(Collections, p => p.RequireAuthenticatedUser().RequireRole(Roles.LoanOfficer, Roles.TeamLead, Roles.Compliance, Roles.GeneralManager, Roles.RegionalDirector));
        options.AddPolicy(FieldMap, p => p.RequireAuthenticatedUser().RequireRole(Features.Field.FieldDevices.Managers));
        options.AddPolicy(FieldLeave, p => p.RequireAuthenticatedUser().RequireRole(Roles.LoanOfficer, Roles.TeamLead, Roles.RegionalDirector, Roles.GeneralManager));
        options.AddPolicy(Cockpit, p => p.RequireAuthenticatedUser().RequireRole(Features.Cockpit.PortfolioDashboard.ViewerRoles));
        options.AddPolicy(Reports, p => p.RequireAuthenticatedUser().RequireRole(Roles.Compliance, Roles.GeneralManager, Roles.RegionalDirector));
        options.AddPolicy(Committee, p => p.RequireAuthenticatedUser().RequireRole(Roles.TeamLead, Roles.Approver, Roles.ChiefApprover,
            Roles.GeneralManager, Roles.RegionalDirector, Roles.Compliance));
        options.AddPolicy(Jobs, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(Import, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
    }
}
