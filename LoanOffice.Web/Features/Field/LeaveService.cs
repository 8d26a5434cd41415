using System.Globalization;
using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanOffice.Web.Features.Field;

/// <summary>The leave settings (appsettings "Field:Leave").</summary>
public sealed class LeaveOptions
{
    /// <summary>A team lead approves up to this many days; a longer request goes to the regional director.</summary>
    public int LeadLimitDays { get; set; } = 3;
    public int MaxDays { get; set; } = 60;
    public int BackdateDays { get; set; } = 7;

    public LeavePolicy Policy => new(LeadLimitDays, MaxDays, BackdateDays);
}

/// <param name="Type">Annual, Sick, Personal or Other.</param>
/// <param name="From">First day (China calendar).</param>
/// <param name="To">Last day, included.</param>
public sealed record LeaveForm(LeaveType Type, DateOnly From, DateOnly To, string? Reason);

/// <param name="Approve">True approves; false rejects (a note is then required).</param>
/// <param name="Version">The request's version as listed (a concurrent change answers 409).</param>
public sealed record LeaveDecision(bool Approve, string? Note, uint Version);

/// <summary>A leave request as lists and the calendar show it.</summary>
public sealed record LeaveRow(Guid Id, Guid OfficerId, string Officer, string Team, LeaveType Type, DateOnly From, DateOnly To, int Days, string Reason,
    LeaveStatus Status, LeaveApprover Approver, string RequestedVia, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote,
    uint Version);

/// <summary>
/// Leave (请假): asked from the web or the officers' app, decided by the team lead or — longer than the lead's limit —
/// by the regional director (each gets an in-app message); approved leave shows on the map and silences the offline
/// alerts. Scoped like everything else: a manager sees and decides the requests of the teams in their scope.
/// </summary>
public sealed class LeaveService(ActorContext context, IOptions<LeaveOptions> options)
{
    public LeavePolicy Policy => options.Value.Policy;

    /// <summary>The signed-in staff member asks for leave (web).</summary>
    public async Task<Result<LeaveRow>> RequestAsync(LeaveForm form, string via = "web", CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        await using var db = await context.OpenAsync(ct);
        var teamId = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.TeamId).SingleAsync(ct);
        if (teamId is null) return Error.Of(ErrorCodes.LeaveNotAnOfficer);
        var today = Components.Shared.Fmt.ChinaDate(context.Clock);
        var created = LeaveRequest.Create(actor.UserId, teamId.Value, form.Type, form.From, form.To, form.Reason, via, today, context.Now, Policy);
        if (!created.IsSuccess) return created.Error!;
        var leave = created.Value!;
        var clash = await db.LeaveRequests.AsNoTracking()
            .Where(l => l.OfficerId == actor.UserId && (l.Status == LeaveStatus.Pending || l.Status == LeaveStatus.Approved) && l.From <= leave.To && leave.From <= l.To)
            .Select(l => new { l.From, l.To }).FirstOrDefaultAsync(ct);
        if (clash is not null) return Error.Of(ErrorCodes.LeaveOverlaps, clash.From, clash.To).At("from");
        db.LeaveRequests.Add(leave);
        await NotifyApproversAsync(db, leave, actor.Name, ct);
        await db.SaveChangesAsync(ct);
        return (await RowsAsync(db.LeaveRequests.Where(l => l.Id == leave.Id), db, ct)).Single();
    }

    /// <summary>The signed-in user's own requests, newest first.</summary>
    public async Task<Result<IReadOnlyList<LeaveRow>>> MineAsync(CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        await using var db = await context.OpenAsync(ct);
        return Result.Success<IReadOnlyList<LeaveRow>>(await RowsAsync(db.LeaveRequests.Where(l => l.OfficerId == actor.UserId).OrderByDescending(l => l.From), db, ct));
    }

    /// <summary>Requests waiting for the signed-in manager: pending, in scope, and theirs to decide (the lead's limit).</summary>
    public async Task<Result<IReadOnlyList<LeaveRow>>> WaitingForMeAsync(CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var teams = scope.TeamIds.ToArray();
        var query = db.LeaveRequests.Where(l => l.Status == LeaveStatus.Pending && l.OfficerId != actor.UserId && (scope.SeesAll || teams.Contains(l.TeamId)));
        var rows = await RowsAsync(query.OrderBy(l => l.RequestedAt), db, ct);
        return Result.Success<IReadOnlyList<LeaveRow>>([.. rows.Where(r => LeaveRequest.MayDecide(r.Approver, actor.Roles))]);
    }

    /// <summary>Whether the signed-in user decides leave (a team lead, regional director or the GM).</summary>
    public async Task<bool> DecidesAsync(CancellationToken ct = default) =>
        await context.ActorAsync(ct) is { } actor && LeaveRequest.MayDecide(LeaveApprover.TeamLead, actor.Roles);

    /// <summary>The team calendar: pending and approved leave in scope touching the days from–to.</summary>
    public async Task<Result<IReadOnlyList<LeaveRow>>> CalendarAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is null) return ActorContext.NotSignedIn;
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var teams = scope.TeamIds.ToArray();
        var query = db.LeaveRequests.Where(l => (l.Status == LeaveStatus.Pending || l.Status == LeaveStatus.Approved) && l.From <= to && from <= l.To
                                                && (scope.SeesAll || teams.Contains(l.TeamId) || l.OfficerId == scope.UserId));
        return Result.Success<IReadOnlyList<LeaveRow>>(await RowsAsync(query.OrderBy(l => l.From), db, ct));
    }

    /// <summary>Approves or rejects a request in the manager's scope; the officer gets an in-app message.</summary>
    public async Task<Result<LeaveRow>> DecideAsync(Guid id, LeaveDecision decision, CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var leave = await db.LeaveRequests.SingleOrDefaultAsync(l => l.Id == id, ct);
        if (leave is null || !(scope.SeesAll || scope.TeamIds.Contains(leave.TeamId) || leave.OfficerId == actor.UserId)) return Error.Of(ErrorCodes.NotFound);
        db.Entry(leave).Property(l => l.Version).OriginalValue = decision.Version;
        var decided = leave.Decide(decision.Approve, actor.UserId, actor.Name, actor.Roles, decision.Note, context.Now, Policy);
        if (!decided.IsSuccess) return decided.Error!;
        var culture = await CultureOfAsync(db, leave.OfficerId, ct);
        db.Notifications.Add(InApp($"leave-decided:{leave.Id}", "LeaveDecided", leave.OfficerId,
            ErrorText.Text(leave.Status == LeaveStatus.Approved ? "Leave.Inbox.Approved" : "Leave.Inbox.Rejected", culture, leave.From, leave.To, actor.Name, leave.DecisionNote ?? ""), context.Now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.LeaveChanged);
        }

        return (await RowsAsync(db.LeaveRequests.Where(l => l.Id == id), db, ct)).Single();
    }

    /// <summary>The officer withdraws their own request (pending, or approved and not begun).</summary>
    public async Task<Result> CancelAsync(Guid id, uint version, CancellationToken ct = default)
    {
        if (await context.ActorAsync(ct) is not { } actor) return ActorContext.NotSignedIn;
        await using var db = await context.OpenAsync(ct);
        var leave = await db.LeaveRequests.SingleOrDefaultAsync(l => l.Id == id && l.OfficerId == actor.UserId, ct);
        if (leave is null) return Error.Of(ErrorCodes.NotFound);
        db.Entry(leave).Property(l => l.Version).OriginalValue = version;
        var cancelled = leave.Cancel(actor.UserId, Components.Shared.Fmt.ChinaDate(context.Clock), context.Now);
        if (!cancelled.IsSuccess) return cancelled;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.LeaveChanged);
        }

        return Result.Success();
    }

    /// <summary>The team's leads — or, past the lead's limit (or with no lead), the region's directors — get an in-app message.</summary>
    private async Task NotifyApproversAsync(LoanOfficeDbContext db, LeaveRequest leave, string officer, CancellationToken ct)
    {
        var regionId = await db.Teams.Where(t => t.Id == leave.TeamId).Select(t => t.RegionId).SingleAsync(ct);
        var candidates = await (from u in db.Users
                                join ur in db.UserRoles on u.Id equals ur.UserId
                                join r in db.Roles on ur.RoleId equals r.Id
                                join t in db.Teams on u.TeamId equals t.Id
                                where u.Id != leave.OfficerId && (r.Name == Roles.TeamLead && u.TeamId == leave.TeamId || r.Name == Roles.RegionalDirector && t.RegionId == regionId)
                                select new { u.Id, Role = r.Name, u.PreferredCulture }).ToListAsync(ct);
        var leads = candidates.Where(c => c.Role == Roles.TeamLead).ToList();
        var to = leave.Approver == LeaveApprover.TeamLead && leads.Count > 0 ? leads : candidates.Where(c => c.Role == Roles.RegionalDirector).ToList();
        foreach (var u in to.DistinctBy(u => u.Id))
        {
            var culture = CultureInfo.GetCultureInfo(u.PreferredCulture);
            db.Notifications.Add(InApp($"leave-request:{leave.Id}:{u.Id:N}", "LeaveRequested", u.Id,
                ErrorText.Text("Leave.Inbox.Requested", culture, officer, leave.Type, leave.From, leave.To, leave.Days), context.Now));
        }
    }

    private static async Task<CultureInfo> CultureOfAsync(LoanOfficeDbContext db, Guid userId, CancellationToken ct) =>
        CultureInfo.GetCultureInfo(await db.Users.Where(u => u.Id == userId).Select(u => u.PreferredCulture).SingleAsync(ct));

    /// <summary>An in-app message (sent at once: the inbox is the channel).</summary>
    internal static Notification InApp(string dedupeKey, string kind, Guid userId, string body, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(), DedupeKey = dedupeKey, Kind = kind, Channel = NotificationChannel.InApp, UserId = userId, Body = body,
            Status = NotificationStatus.Sent, NextAttemptAt = now, CreatedAt = now, SentAt = now,
        };

    private static async Task<IReadOnlyList<LeaveRow>> RowsAsync(IQueryable<LeaveRequest> query, LoanOfficeDbContext db, CancellationToken ct)
    {
        var rows = await (from l in query.AsNoTracking()
                          join u in db.Users on l.OfficerId equals u.Id
                          join t in db.Teams on l.TeamId equals t.Id
                          select new { l, u.DisplayName, t.Name, t.NameEn }).ToListAsync(ct);
        return rows.Select(x => new LeaveRow(x.l.Id, x.l.OfficerId, x.DisplayName, Components.Shared.OrgNames.Of(x.Name, x.NameEn), x.l.Type, x.l.From, x.l.To, x.l.Days,
            x.l.Reason, x.l.Status, x.l.Approver, x.l.RequestedVia, x.l.RequestedAt, x.l.DecidedBy, x.l.DecidedAt, x.l.DecisionNote, x.l.Version)).ToList();
    }
}
