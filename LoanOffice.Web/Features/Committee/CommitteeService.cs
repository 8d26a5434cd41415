using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using MeetingRules = LoanOffice.Domain.Applications.CommitteeRules;

namespace LoanOffice.Web.Features.Committee;

/// <summary>A staff member who may sit on a committee.</summary>
public sealed record CommitteeCandidate(Guid Id, string Name, string Role);

/// <summary>A meeting in the list.</summary>
public sealed record MeetingRow(Guid Id, DateOnly Date, Guid TeamId, string TeamName, string? TeamNameEn, IReadOnlyList<string> Members,
    int AgendaItems, int Decided, MeetingStatus Status);

/// <summary>A file on a meeting's agenda, with its decision once recorded.</summary>
public sealed record AgendaRow(Guid ApplicationId, string Number, string ApplicantName, decimal RequestedAmount, int RequestedMonths,
    ApplicationState State, uint Version, bool? Approved, decimal? Amount, int? Months, decimal? AnnualRate, string? Conditions, string? Minutes,
    IReadOnlyList<CommitteeMemberVote> Votes, DateTimeOffset? RecordedAt);

public sealed record MeetingDetail(MeetingRow Meeting, IReadOnlyList<(Guid Id, string Name)> Members, IReadOnlyList<AgendaRow> Agenda, bool MayRecord);

/// <summary>The meeting a file is on (shown on the file once registered).</summary>
public sealed record FileAgenda(Guid MeetingId, DateOnly Date, IReadOnlyList<(Guid Id, string Name)> Members, bool Decided);

/// <summary>
/// Loan committee meetings (审贷会) of committee-mode teams: planning a meeting with members chosen from the staff,
/// putting files on its agenda, recording each file's decision with every member's vote and the minutes. The rules
/// are <see cref="MeetingRules"/>'s; the file's move is the application aggregate's.
/// </summary>
public sealed class CommitteeService(ActorContext context, ApplicationWorkflow workflow)
{
    /// <summary>Roles that plan meetings, register files and record decisions (the committee's secretary is one of them).</summary>
    public static readonly string[] SecretaryRoles = [Roles.TeamLead, Roles.ChiefApprover, Roles.Approver];

    /// <summary>Roles whose holders may sit on a committee, most senior first (members are listed in this order).</summary>
    public static readonly string[] MemberRoles = [Roles.GeneralManager, Roles.RegionalDirector, Roles.ChiefApprover, Roles.TeamLead, Roles.Approver];

    private DateOnly Today => Fmt.ChinaDate(context.Clock);

    /// <summary>Active staff who may sit on a committee, the most senior first, then by name (each with their most senior committee role).</summary>
    public async Task<IReadOnlyList<CommitteeCandidate>> CandidatesAsync(CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        return await CandidatesAsync(db, context.Now, ct);
    }

    private static async Task<List<CommitteeCandidate>> CandidatesAsync(LoanOfficeDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          where MemberRoles.Contains(r.Name!) && (u.LockoutEnd == null || u.LockoutEnd < now)
                          select new { u.Id, u.DisplayName, u.UserName, Role = r.Name! }).AsNoTracking().ToListAsync(ct);
        return rows.GroupBy(x => x.Id).Select(g => g.OrderBy(x => Array.IndexOf(MemberRoles, x.Role)).First())
            .OrderBy(x => Array.IndexOf(MemberRoles, x.Role)).ThenBy(x => x.DisplayName, StringComparer.Ordinal).ThenBy(x => x.UserName, StringComparer.Ordinal)
            .Select(x => new CommitteeCandidate(x.Id, x.DisplayName, x.Role)).ToList();
    }

    /// <summary>Committee-mode teams the caller may plan meetings for.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name, string? NameEn)>> TeamsAsync(CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var teams = await db.Teams.AsNoTracking().Where(t => t.ApprovalMode == ApprovalMode.Committee).OrderBy(t => t.Code)
            .Select(t => new { t.Id, t.Name, t.NameEn }).ToListAsync(ct);
        return teams.Where(t => scope.CanSee(t.Id, null)).Select(t => (t.Id, t.Name, t.NameEn)).ToList();
    }

    /// <summary>Plans a meeting of a committee-mode team on a date with chosen members.</summary>
    public async Task<Result<Guid>> PlanAsync(Guid? teamId, DateOnly? date, IReadOnlyList<Guid> memberIds, CancellationToken ct = default)
    {
        var actor = await context.ActorAsync(ct);
        if (actor is null) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps(SecretaryRoles)) return Error.Of(ErrorCodes.CommitteeMeetingForbidden);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var errors = new List<Error>();
        if (teamId is null) errors.Add(Error.Of(ErrorCodes.Required, "team").At("team"));
        if (date is null) errors.Add(Error.Of(ErrorCodes.Required, "meetingDate").At("date"));
        var candidates = (await CandidatesAsync(db, context.Now, ct)).Where(c => memberIds.Contains(c.Id)).ToList();
        var check = MeetingRules.CheckPlan(date ?? Today, Today, memberIds, id => candidates.Any(c => c.Id == id));
        if (check is not null) errors.AddRange(check.All);
        if (Error.Combine(errors) is { } invalid) return invalid;

        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !scope.CanSee(team.Id, null)) return Error.Of(ErrorCodes.CommitteeMeetingForbidden);
        if (team.ApprovalMode != ApprovalMode.Committee) return Error.Of(ErrorCodes.CommitteeCentralizedTeam);
        if (await db.CommitteeMeetings.AnyAsync(m => m.TeamId == team.Id && m.MeetingDate == date, ct))
            return Error.Of(ErrorCodes.CommitteeMeetingExists, date!.Value).At("date");
        var meeting = new Data.Origination.CommitteeMeeting
        {
            Id = Guid.CreateVersion7(), TeamId = team.Id, MeetingDate = date!.Value, MemberIds = [.. memberIds],
            Members = memberIds.Select(id => candidates.Single(c => c.Id == id).Name).ToList(),
            CreatedBy = actor.UserId, CreatedAt = context.Now,
        };
        db.CommitteeMeetings.Add(meeting);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return Error.Of(ErrorCodes.CommitteeMeetingExists, date!.Value).At("date");
        }
        return meeting.Id;
    }

    /// <summary>The meetings of the caller's committee teams, the latest first.</summary>
    public async Task<PagedResult<MeetingRow>> MeetingsAsync(bool openOnly, int page, int pageSize, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var q = Scoped(db, scope);
        if (openOnly)
            q = q.Where(m => !db.CommitteeAgendaItems.Any(i => i.MeetingId == m.Id)
                             || db.CommitteeAgendaItems.Any(i => i.MeetingId == m.Id && i.RecordedAt == null));
        var total = await q.CountAsync(ct);
        var rows = await Rows(db, q.OrderByDescending(m => m.MeetingDate).ThenBy(m => m.Id).Page(page, pageSize)).ToListAsync(ct);
        return new PagedResult<MeetingRow>(rows.Select(WithStatus).ToList(), total, page, pageSize);
    }

    /// <summary>Meetings of a team a file can still be put on (today or later), soonest first.</summary>
    public async Task<IReadOnlyList<MeetingRow>> UpcomingAsync(Guid teamId, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var today = Today;
        var rows = await Rows(db, Scoped(db, scope).Where(m => m.TeamId == teamId && m.MeetingDate >= today).OrderBy(m => m.MeetingDate)).ToListAsync(ct);
        return rows.Select(WithStatus).ToList();
    }

    public async Task<Result<MeetingDetail>> MeetingAsync(Guid id, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        var actor = await context.ActorAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var meeting = await db.CommitteeMeetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (meeting is null) return Error.Of(ErrorCodes.CommitteeMeetingNotFound);
        if (!scope.CanSee(meeting.TeamId, null)) return ActorContext.OutOfScope;
        var row = WithStatus((await Rows(db, db.CommitteeMeetings.Where(m => m.Id == id)).SingleAsync(ct)));
        var items = await (from i in db.CommitteeAgendaItems
                           join a in db.Applications on i.ApplicationId equals a.Id
                           join c in db.Customers on a.CustomerId equals c.Id
                           where i.MeetingId == id
                           orderby a.Number
                           select new { i, a.Number, c.Name, a.RequestedAmount, a.RequestedMonths, a.State, a.Version }).ToListAsync(ct);
        var agenda = items.Select(x => new AgendaRow(x.i.ApplicationId, x.Number, x.Name, x.RequestedAmount, x.RequestedMonths, x.State, x.Version,
            x.i.Approved, x.i.Amount, x.i.Months, x.i.AnnualRate, x.i.Conditions, x.i.Minutes, VotesOf(x.i.MemberVotes), x.i.RecordedAt)).ToList();
        return new MeetingDetail(row, Members(meeting), agenda, actor is not null && actor.Roles.Overlaps(SecretaryRoles));
    }

    /// <summary>The meeting a file is (or was last) on, or null.</summary>
    public async Task<FileAgenda?> AgendaOfAsync(Guid applicationId, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        var found = await (from i in db.CommitteeAgendaItems
                           join m in db.CommitteeMeetings on i.MeetingId equals m.Id
                           where i.ApplicationId == applicationId
                           orderby i.RecordedAt == null descending, m.MeetingDate descending
                           select new { m, i.RecordedAt }).AsNoTracking().FirstOrDefaultAsync(ct);
        return found is null ? null : new FileAgenda(found.m.Id, found.m.MeetingDate, Members(found.m), found.RecordedAt is not null);
    }

    /// <summary>Puts a file of a committee-mode team on the agenda of one of its team's coming meetings.</summary>
    public Task<Result> RegisterAsync(Guid applicationId, Guid? meetingId, uint version) =>
        workflow.Command(applicationId, version, async (db, app, actor, now) =>
        {
            if (!actor.Roles.Overlaps(SecretaryRoles)) return Error.Of(ErrorCodes.CommitteeRegisterLeadOnly);
            if (meetingId is null) return Error.Of(ErrorCodes.Required, "meeting").At("meeting");
            if (app.State != ApplicationState.Approval) return Error.Of(ErrorCodes.CommitteeNotInApproval);
            var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == app.TeamId);
            if (team.ApprovalMode != ApprovalMode.Committee) return Error.Of(ErrorCodes.CommitteeCentralizedTeam);
            var meeting = await db.CommitteeMeetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId);
            if (meeting is null) return Error.Of(ErrorCodes.CommitteeMeetingNotFound).At("meeting");
            if (meeting.TeamId != app.TeamId) return Error.Of(ErrorCodes.CommitteeMeetingOtherTeam).At("meeting");
            if (MeetingRules.CheckAgenda(meeting.MeetingDate, Fmt.ChinaDate(now)) is { } past) return past.At("meeting");
            if (await db.CommitteeAgendaItems.AnyAsync(i => i.ApplicationId == app.Id && i.RecordedAt == null))
                return Error.Of(ErrorCodes.CommitteeAlreadyOnAgenda);
            db.CommitteeAgendaItems.Add(new CommitteeAgendaItem { Id = Guid.CreateVersion7(), MeetingId = meeting.Id, ApplicationId = app.Id });
            return Result.Success();
        });

    /// <summary>The secretary records the committee's decision on a file with each member's vote, the conditions and the minutes.</summary>
    public Task<Result> RecordAsync(Guid applicationId, bool approve, decimal? amount, int? months, decimal? annualRate,
        string? conditions, string? minutes, IReadOnlyList<MemberVote> votes, uint version) =>
        workflow.Command(applicationId, version, async (db, app, actor, now) =>
        {
            if (!actor.Roles.Overlaps(SecretaryRoles)) return Error.Of(ErrorCodes.CommitteeSecretaryOnly);
            var item = await db.CommitteeAgendaItems.SingleOrDefaultAsync(i => i.ApplicationId == app.Id && i.RecordedAt == null);
            if (item is null) return Error.Of(ErrorCodes.CommitteeNotOnAgenda);
            var meeting = await db.CommitteeMeetings.AsNoTracking().SingleAsync(m => m.Id == item.MeetingId);
            var errors = new List<Error>();
            if (MeetingRules.CheckMinutes(meeting.MeetingDate, Fmt.ChinaDate(now), meeting.MemberIds, votes) is { } invalid) errors.Add(invalid);
            if (approve)
            {
                if (amount is null) errors.Add(Error.Of(ErrorCodes.Required, "amount").At("amount"));
                if (months is null) errors.Add(Error.Of(ErrorCodes.Required, "months").At("months"));
                if (annualRate is null) errors.Add(Error.Of(ErrorCodes.Required, "annualRate").At("rate"));
            }
            if (Error.Combine(errors) is { } refused) return refused;

            var names = Members(meeting).ToDictionary(m => m.Id, m => m.Name);
            item.Approved = approve;
            item.MemberVotes = JsonSerializer.Serialize(votes.Select(v => new CommitteeMemberVote(names[v.MemberId], v.Approve, v.Comment) { MemberId = v.MemberId }).ToList());
            item.Minutes = string.IsNullOrWhiteSpace(minutes) ? null : minutes.Trim();
            item.RecordedBy = actor.UserId;
            item.RecordedAt = now;
            // The members' votes and comments stay in the agenda item, shown only to the roles allowed to see them
            // (Committee:DecisionVisibleTo); the file's rule and timeline say only what was decided.
            var rule = FormattableString.Invariant($"Committee meeting {meeting.MeetingDate:yyyy-MM-dd}: {(approve ? "approved" : "rejected")}.");
            if (!approve) return app.Reject(actor, string.IsNullOrWhiteSpace(conditions) ? rule : conditions, now);
            var product = (await db.Products.AsNoTracking().SingleAsync(p => p.Id == app.ProductId)).ToDomain();
            var check = product.CheckRequest(amount!.Value, months!.Value, annualRate!.Value, app.Method);
            if (!check.IsSuccess) return check.Error!;
            item.Amount = amount;
            item.Months = months;
            item.AnnualRate = annualRate;
            item.Conditions = conditions;
            return app.RecordApproval(actor, amount.Value, months.Value, annualRate.Value, rule, conditions, now);
        }, IntranetActions.CommitteeDecision);

    private static List<(Guid Id, string Name)> Members(Data.Origination.CommitteeMeeting m) =>
        m.MemberIds.Select((id, i) => (id, i < m.Members.Count ? m.Members[i] : id.ToString())).ToList();

    public static IReadOnlyList<CommitteeMemberVote> VotesOf(string json) => JsonSerializer.Deserialize<List<CommitteeMemberVote>>(json) ?? [];

    private static IQueryable<Data.Origination.CommitteeMeeting> Scoped(LoanOfficeDbContext db, DataScope scope) =>
        scope.SeesAll ? db.CommitteeMeetings.AsNoTracking() : db.CommitteeMeetings.AsNoTracking().Where(m => scope.TeamIds.Contains(m.TeamId));

    private sealed record RawRow(Guid Id, DateOnly Date, Guid TeamId, string TeamName, string? TeamNameEn, List<string> Members, int Items, int Decided);

    private static IQueryable<RawRow> Rows(LoanOfficeDbContext db, IQueryable<Data.Origination.CommitteeMeeting> q) =>
        from m in q
        join t in db.Teams on m.TeamId equals t.Id
        select new RawRow(m.Id, m.MeetingDate, m.TeamId, t.Name, t.NameEn, m.Members,
            db.CommitteeAgendaItems.Count(i => i.MeetingId == m.Id), db.CommitteeAgendaItems.Count(i => i.MeetingId == m.Id && i.RecordedAt != null));

    private MeetingRow WithStatus(RawRow r) =>
        new(r.Id, r.Date, r.TeamId, r.TeamName, r.TeamNameEn, r.Members, r.Items, r.Decided, MeetingRules.StatusOf(r.Date, Today, r.Items, r.Decided));
}
