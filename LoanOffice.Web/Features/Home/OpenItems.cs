using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Committee;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Authorization;

namespace LoanOffice.Web.Features.Home;

/// <summary>One count on the home page: what waits for the user, and where to work on it.</summary>
public sealed record OpenItem(string TextKey, int Count, string Href, string Test);

/// <summary>
/// "My open items": for each list the user works in, how many records wait there now. Each count is the total of the
/// very query the list's page runs (same scope, same rule), so the number and the list always agree.
/// </summary>
public sealed class OpenItems(CurrentUser currentUser, IAuthorizationService authorization, ApplicationQueries applications, LoanQueries loans,
    CollectionsService collections, CommitteeService committee, NotificationQueries notifications)
{
    /// <summary>The signed-in user's open items: only lists whose page the user may open.</summary>
    public async Task<IReadOnlyList<OpenItem>> ForAsync(CancellationToken ct = default)
    {
        var user = await currentUser.GetPrincipalAsync();
        var policies = new HashSet<string>();
        foreach (var policy in new[] { Policies.TeamPool, Policies.OfficerTasks, Policies.ReviewQueue, Policies.Committee, Policies.FinanceDesk, Policies.Loans, Policies.Collections, Policies.Jobs })
            if ((await authorization.AuthorizeAsync(user, policy)).Succeeded) policies.Add(policy);
        var roles = Roles.All.Where(user.IsInRole).ToHashSet();
        var items = new List<OpenItem>();
        if (policies.Contains(Policies.TeamPool))
            items.Add(new("Home.Open.Pool", (await applications.PoolAsync(0, 1, ct: ct)).Total, "/pool", "open-pool"));
        if (policies.Contains(Policies.OfficerTasks))
            items.Add(new("Home.Open.Tasks", (await applications.MyTasksAsync(0, 1, ct: ct)).Total, "/tasks", "open-tasks"));
        if (policies.Contains(Policies.ReviewQueue))
            items.Add(new("Home.Open.Review", (await applications.QueueAsync(QueueFilter.None, 0, 1, ct)).Total, "/review", "open-review"));
        if (roles.Contains(Roles.Approver))
            items.Add(new("Home.Open.Votes", (await applications.ApprovalInboxAsync(0, 1, ct: ct)).Total, "/approvals", "open-votes"));
        if (roles.Contains(Roles.ChiefApprover))
            items.Add(new("Home.Open.Chief", (await applications.ChiefInboxAsync(0, 1, ct: ct)).Total, "/approvals", "open-chief"));
        if (policies.Contains(Policies.Committee) && (await committee.TeamsAsync(ct)).Count > 0)
        {
            if (roles.Overlaps(CommitteeService.SecretaryRoles))
                items.Add(new("Home.Open.CommitteeFiles", (await applications.CommitteeInboxAsync(0, 1, ct: ct)).Total, "/approvals", "open-committee-files"));
            items.Add(new("Home.Open.Meetings", (await committee.MeetingsAsync(true, 0, 1, ct: ct)).Total, "/committee", "open-meetings"));
        }
        if (policies.Contains(Policies.FinanceDesk))
            items.Add(new("Home.Open.Finance", (await applications.FinanceInboxAsync(0, 1, ct: ct)).Total, "/finance", "open-finance"));
        if (policies.Contains(Policies.Loans))
            items.Add(new("Home.Open.Overdue", (await loans.ListAsync(null, true, 0, 1, ct)).Total, "/loans", "open-overdue"));
        if (policies.Contains(Policies.Collections))
            items.Add(new("Home.Open.Cases", (await collections.QueueAsync(new CaseFilter(), 0, 1, ct)).Total, "/collections", "open-cases"));
        if (policies.Contains(Policies.Jobs))
            items.Add(new("Home.Open.DeadLetters", (await notifications.DeadLettersAsync(0, 1, ct: ct)).Total, "/admin/jobs", "open-dead-letters"));
        return items;
    }
}
