using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace LoanOffice.Web.Components.Layout;

/// <summary>One menu entry: shown only to users who satisfy its policy (the page declares the same policy).</summary>
public sealed record NavItem(string Href, string TextKey, string Icon, string Policy, string Test, NavLinkMatch Match = NavLinkMatch.Prefix);

/// <summary>The application menu, in order. Later features add their entries here.</summary>
public static class Navigation
{
    public static readonly IReadOnlyList<NavItem> Items =
    [
        new("/", "Nav.Home", Icons.Material.Filled.Home, Policies.Staff, "nav-home", NavLinkMatch.All),
        new("/cockpit", "Nav.Cockpit", Icons.Material.Filled.Insights, Policies.Cockpit, "nav-cockpit"),
        new("/field/map", "Nav.FieldMap", Icons.Material.Filled.Map, Policies.FieldMap, "nav-field-map"),
        new("/field/tracks", "Nav.FieldTracks", Icons.Material.Filled.Timeline, Policies.FieldMap, "nav-field-tracks"),
        new("/field/leave", "Nav.FieldLeave", Icons.Material.Filled.EventBusy, Policies.FieldLeave, "nav-field-leave"),
        new("/pool", "Nav.Pool", Icons.Material.Filled.Inbox, Policies.TeamPool, "nav-pool"),
        new("/tasks", "Nav.Tasks", Icons.Material.Filled.Assignment, Policies.OfficerTasks, "nav-tasks"),
        new("/review", "Nav.Review", Icons.Material.Filled.FactCheck, Policies.ReviewQueue, "nav-review"),
        new("/approvals", "Nav.Approvals", Icons.Material.Filled.HowToVote, Policies.Approvals, "nav-approvals"),
        new("/committee", "Nav.Committee", Icons.Material.Filled.Groups, Policies.Committee, "nav-committee"),
        new("/finance", "Nav.Finance", Icons.Material.Filled.AccountBalance, Policies.FinanceDesk, "nav-finance"),
        new("/finance/bank-files", "Nav.BankFiles", Icons.Material.Filled.ReceiptLong, Policies.FinanceDesk, "nav-bank-files"),
        new("/loans", "Nav.Loans", Icons.Material.Filled.RequestQuote, Policies.Loans, "nav-loans"),
        new("/collections", "Nav.Collections", Icons.Material.Filled.SupportAgent, Policies.Collections, "nav-collections"),
        new("/people", "Nav.People", Icons.Material.Filled.People, Policies.Staff, "nav-people"),
        new("/admin/users", "Nav.Users", Icons.Material.Filled.ManageAccounts, Policies.ManageUsers, "nav-users"),
        new("/admin/organisation", "Nav.Organisation", Icons.Material.Filled.AccountTree, Policies.ManageOrganisation, "nav-organisation"),
        new("/admin/jobs", "Nav.Jobs", Icons.Material.Filled.Schedule, Policies.Jobs, "nav-jobs"),
        new("/admin/import", "Nav.Import", Icons.Material.Filled.DriveFolderUpload, Policies.Import, "nav-import"),
        new("/calculator", "Nav.Calculator", Icons.Material.Filled.Calculate, Policies.Staff, "nav-calculator"),
        new("/reports", "Nav.Reports", Icons.Material.Filled.Summarize, Policies.Reports, "nav-reports"),
        new("/audit", "Nav.Audit", Icons.Material.Filled.Policy, Policies.ReadAudit, "nav-audit"),
    ];
}
