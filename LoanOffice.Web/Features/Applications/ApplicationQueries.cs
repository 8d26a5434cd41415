using LoanOffice.Web.Hosting;
using System.Text.Json;
using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Domain.Applications;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

/// <summary>A file in a list: the requested figures (申请金额/期限) and, once decided, the approved ones beside them.</summary>
public sealed record ApplicationRow(Guid Id, string Number, string ApplicantName, string TeamName, string ProductCode, decimal Amount,
    int Months, decimal? ApprovedAmount, int? ApprovedMonths, ApplicationState State, DateTimeOffset StateSince, DateTimeOffset ReceivedAt, string? ClaimedByName, string? OfficerName, uint Version);

public sealed record QueueFilter(ApplicationState[]? States, Guid? TeamId, string? ProductCode, decimal? MinAmount, decimal? MaxAmount, int? MinAgeHours,
    string SortBy = "age", bool Descending = true)
{
    /// <summary>No filter, oldest waiting first.</summary>
    public static QueueFilter None { get; } = new(null, null, null, null, null, null);

    /// <summary>The key under which the review queue remembers each user's filters.</summary>
    public const string PreferenceKey = "review-queue.filter";

    /// <summary>What was typed in the list's search box (<see cref="Search.SearchQueries.Matching"/>); not remembered.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Search { get; init; }

    /// <summary>The cockpit's drill-downs (not remembered): a region, the files assigned to one officer, files entered here only.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? RegionId { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? OfficerId { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool ExcludeImported { get; init; }

    /// <summary>Only files waiting in their stage longer than its SLA (hours per stage), as the cockpit counts them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<ApplicationState, int>? PastSlaHours { get; init; }
}

public sealed record DocumentFile(byte[] Content, string ContentType, string FileName)
{
    /// <summary>Shown in the browser (only pixels re-encoded by the server); everything else is a download.</summary>
    public bool Inline { get; init; }
}

/// <summary>How an uploaded document is handed out: opened (images re-encoded here, PDFs downloaded), its thumbnail, the original bytes.</summary>
public enum DocumentView { Open, Thumbnail, Original }

public sealed record DocumentRow(Guid Id, string DocumentType, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);

public sealed record ApplicationDetail(
    ApplicationRow Row, LoanApplication Application, string CustomerName, string ResidentIdMasked, string MobileMasked,
    string ProductName, IReadOnlyList<string> RequiredDocuments, IReadOnlyList<string> MissingDocuments, IReadOnlyList<DocumentRow> Documents,
    IReadOnlyList<ApplicationTransition> Timeline, IReadOnlyList<(ApplicationState State, TimeSpan Duration)> TimeInStages,
    ApprovalMode ApprovalMode, string? ContractNumber, string? LoanNumber,
    ApprovalDecisionRecord? Decision = null, CommitteeOutcome? Committee = null, bool CommitteeVotesHidden = false,
    IReadOnlyList<ApprovalDecisionRecord>? Decisions = null);

/// <summary>The committee's recorded decision on a file: meeting date and each member's vote.</summary>
public sealed record CommitteeOutcome(DateOnly MeetingDate, IReadOnlyList<CommitteeMemberVote> Votes);

/// <summary>Reads for the origination screens. Everything goes through the caller's data scope.</summary>
public sealed class ApplicationQueries(ActorContext context, Microsoft.Extensions.Options.IOptions<CommitteeOptions> committeeOptions)
{
    public static readonly ApplicationState[] ReviewStates = [ApplicationState.Submitted, ApplicationState.PreliminaryReview];

    public async Task<PagedResult<ApplicationRow>> QueueAsync(QueueFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var scoped = Scoped(db, scope);
        if (filter.RegionId is { } region) scoped = scoped.Where(a => db.Teams.Any(t => t.Id == a.TeamId && t.RegionId == region));
        var q = Filter(Search.SearchQueries.Matching(db, scoped, filter.Search), filter, context.Now);
        var total = await q.CountAsync(ct);
        var rows = await Project(db, q.Page(page, pageSize), context.Now).ToListAsync(ct);
        return new PagedResult<ApplicationRow>(rows, total, page, pageSize);
    }

    /// <summary>The queue's filter and sort as one query (the benchmark runs exactly this against 1,000,000 rows).</summary>
    public static IQueryable<LoanApplication> Filter(IQueryable<LoanApplication> q, QueueFilter filter, DateTimeOffset now)
    {
        var states = filter.States is { Length: > 0 } s ? s : ReviewStates;
        q = q.Where(a => states.Contains(a.State));
        if (filter.TeamId is { } team) q = q.Where(a => a.TeamId == team);
        if (!string.IsNullOrWhiteSpace(filter.ProductCode)) q = q.Where(a => a.ProductCode == filter.ProductCode);
        if (filter.MinAmount is { } min) q = q.Where(a => a.RequestedAmount >= min);
        if (filter.MaxAmount is { } max) q = q.Where(a => a.RequestedAmount <= max);
        if (filter.MinAgeHours is { } hours)
        {
            var before = now.AddHours(-hours);
            q = q.Where(a => a.StateSince <= before);
        }
        if (filter.OfficerId is { } officer) q = q.Where(a => a.AssignedOfficerId == officer);
        if (filter.ExcludeImported) q = q.Where(a => a.Channel != LoanApplication.ImportChannel);
        if (filter.PastSlaHours is { Count: > 0 } sla) q = q.Where(PastSla(states, sla, now));

        return (filter.SortBy, filter.Descending) switch
        {
            ("amount", true) => q.OrderByDescending(a => a.RequestedAmount).ThenBy(a => a.Id),
            ("amount", false) => q.OrderBy(a => a.RequestedAmount).ThenBy(a => a.Id),
            ("received", true) => q.OrderByDescending(a => a.ReceivedAt).ThenBy(a => a.Id),
            ("received", false) => q.OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id),
            // age: the longest waiting first when descending
            (_, true) => q.OrderBy(a => a.StateSince).ThenBy(a => a.Id),
            _ => q.OrderByDescending(a => a.StateSince).ThenBy(a => a.Id),
        };
    }

    /// <summary>Files waiting in their stage longer than its SLA: (state = s₁ and since ≤ now − h₁) or … for the listed states.</summary>
    private static System.Linq.Expressions.Expression<Func<LoanApplication, bool>> PastSla(ApplicationState[] states,
        IReadOnlyDictionary<ApplicationState, int> hours, DateTimeOffset now)
    {
        var a = System.Linq.Expressions.Expression.Parameter(typeof(LoanApplication), "a");
        System.Linq.Expressions.Expression body = System.Linq.Expressions.Expression.Constant(false);
        foreach (var state in states)
        {
            // a closure per stage, so EF sends each cut-off as a parameter
            var cutoff = new { Value = now.AddHours(-(hours.TryGetValue(state, out var h) ? h : 48)) };
            var inState = System.Linq.Expressions.Expression.Equal(System.Linq.Expressions.Expression.Property(a, nameof(LoanApplication.State)),
                System.Linq.Expressions.Expression.Constant(state));
            var waiting = System.Linq.Expressions.Expression.LessThanOrEqual(System.Linq.Expressions.Expression.Property(a, nameof(LoanApplication.StateSince)),
                System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Constant(cutoff), "Value"));
            body = System.Linq.Expressions.Expression.OrElse(body, System.Linq.Expressions.Expression.AndAlso(inState, waiting));
        }

        return System.Linq.Expressions.Expression.Lambda<Func<LoanApplication, bool>>(body, a);
    }

    /// <summary>A page of the queue projected to rows (shared with the benchmark).</summary>
    public static IQueryable<ApplicationRow> Page(LoanOfficeDbContext db, IQueryable<LoanApplication> filtered, int page, int pageSize, DateTimeOffset now) =>
        Project(db, filtered.Page(page, pageSize), now);

    /// <summary>The team pool (待分配) of the caller's teams, oldest first.</summary>
    public Task<PagedResult<ApplicationRow>> PoolAsync(int page, int pageSize, string? search = null, CancellationToken ct = default) =>
        QueueAsync(new QueueFilter([ApplicationState.Pool], null, null, null, null, null) { Search = search }, page, pageSize, ct);

    /// <summary>The officer's own files in progress.</summary>
    public async Task<PagedResult<ApplicationRow>> MyTasksAsync(int page = 0, int pageSize = Paging.MaxPageSize, string? search = null, CancellationToken ct = default)
    {
        var actor = await context.ActorAsync(ct);
        if (actor is null) return new PagedResult<ApplicationRow>([], 0, page, pageSize);
        await using var db = await context.OpenAsync(ct);
        var open = new[] { ApplicationState.Assigned, ApplicationState.Collecting, ApplicationState.Submitted, ApplicationState.PreliminaryReview,
            ApplicationState.Approval, ApplicationState.FinalReview, ApplicationState.Approved, ApplicationState.Contracted };
        return await PageAsync(db, db.Applications.AsNoTracking().Where(a => a.AssignedOfficerId == actor.UserId && open.Contains(a.State)), page, pageSize, search, ct);
    }

    /// <summary>One page of a list, oldest in its stage first, with the total for the pager.</summary>
    private async Task<PagedResult<ApplicationRow>> PageAsync(LoanOfficeDbContext db, IQueryable<LoanApplication> query, int page, int pageSize, string? search, CancellationToken ct)
    {
        query = Search.SearchQueries.Matching(db, query, search);
        pageSize = Math.Clamp(pageSize, 1, Paging.MaxPageSize);
        var total = await query.CountAsync(ct);
        var rows = await Project(db, query.OrderBy(a => a.StateSince).ThenBy(a => a.Id).Page(page, pageSize), context.Now).ToListAsync(ct);
        return new PagedResult<ApplicationRow>(rows, total, page, pageSize);
    }

    /// <summary>
    /// Files waiting for the caller's vote (centralized approval): their groups' teams, not yet voted in the file's
    /// current round (the round = how many times the file entered Approval, <see cref="ApprovalService.RoundOf"/>).
    /// </summary>
    public async Task<PagedResult<ApplicationRow>> ApprovalInboxAsync(int page = 0, int pageSize = Paging.MaxPageSize, string? search = null, CancellationToken ct = default)
    {
        var actor = await context.ActorAsync(ct);
        if (actor is null) return new PagedResult<ApplicationRow>([], 0, page, pageSize);
        await using var db = await context.OpenAsync(ct);
        var me = actor.UserId;
        var teams = db.TeamApprovers.Where(a => a.UserId == me).Select(a => a.TeamId);
        var waiting = db.Applications.AsNoTracking().Where(a => a.State == ApplicationState.Approval && teams.Contains(a.TeamId)
            && !db.ApprovalVotes.Any(v => v.ApproverId == me && v.ApplicationId == a.Id
                && v.Round == a.Transitions.Count(t => t.To == ApplicationState.Approval && t.From != t.To)));
        return await PageAsync(db, waiting, page, pageSize, search, ct);
    }

    /// <summary>Files for the chief approver: disputes and rejects to settle, and final reviews.</summary>
    public async Task<PagedResult<ApplicationRow>> ChiefInboxAsync(int page = 0, int pageSize = Paging.MaxPageSize, string? search = null, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        var disputed = db.ApprovalDecisions.Where(d => d.Outcome != "Decided" && d.SettledBy == null).Select(d => d.ApplicationId);
        return await PageAsync(db, db.Applications.AsNoTracking()
            .Where(a => a.State == ApplicationState.FinalReview || (a.State == ApplicationState.Approval && disputed.Contains(a.Id))), page, pageSize, search, ct);
    }

    /// <summary>Files of committee-mode teams in the caller's scope waiting for the committee.</summary>
    public async Task<PagedResult<ApplicationRow>> CommitteeInboxAsync(int page = 0, int pageSize = Paging.MaxPageSize, string? search = null, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var committeeTeams = db.Teams.Where(t => t.ApprovalMode == ApprovalMode.Committee).Select(t => t.Id);
        return await PageAsync(db, Scoped(db, scope).Where(a => a.State == ApplicationState.Approval && committeeTeams.Contains(a.TeamId)), page, pageSize, search, ct);
    }

    /// <summary>Finance's work: approved files to contract and contracted files to disburse.</summary>
    public async Task<PagedResult<ApplicationRow>> FinanceInboxAsync(int page = 0, int pageSize = Paging.MaxPageSize, string? search = null, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        return await PageAsync(db, db.Applications.AsNoTracking().Where(a => a.State == ApplicationState.Approved || a.State == ApplicationState.Contracted), page, pageSize, search, ct);
    }

    /// <summary>An application's id by its number (the detail checks the scope).</summary>
    public async Task<Guid?> IdOfAsync(string number, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        return await db.Applications.AsNoTracking().Where(a => a.Number == number).Select(a => (Guid?)a.Id).SingleOrDefaultAsync(ct);
    }

    public async Task<LoanOffice.Domain.Common.Result<ApplicationDetail>> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var app = await db.Applications.AsNoTracking().Include(a => a.Transitions).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (app is null) return ActorContext.NotFound;
        if (!ActorContext.MaySee(scope, app.TeamId, app.AssignedOfficerId, app.State)) return ActorContext.OutOfScope;
        var row = await Project(db, db.Applications.AsNoTracking().Where(a => a.Id == id), context.Now).SingleAsync(ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == app.CustomerId).Select(c => new { c.Name, c.ResidentIdMasked, c.MobileMasked }).SingleAsync(ct);
        var product = await db.Products.AsNoTracking().Where(p => p.Id == app.ProductId).Select(p => new { p.Name, p.RequiredDocuments }).SingleAsync(ct);
        var docs = await db.ApplicationDocuments.AsNoTracking().Where(d => d.ApplicationId == id).OrderBy(d => d.UploadedAt)
            .Select(d => new DocumentRow(d.Id, d.DocumentType, d.FileName, d.ContentType, d.Size, d.Sha256, d.UploadedAt)).ToListAsync(ct);
        var mode = await db.Teams.Where(t => t.Id == app.TeamId).Select(t => t.ApprovalMode).SingleAsync(ct);
        var contract = await db.Contracts.Where(c => c.ApplicationId == id).Select(c => c.Number).SingleOrDefaultAsync(ct);
        var loan = await db.Loans.Where(l => l.ApplicationId == id).Select(l => l.Number).SingleOrDefaultAsync(ct);
        var missing = product.RequiredDocuments.Except(docs.Select(d => d.DocumentType)).ToList();
        var decisions = await db.ApprovalDecisions.AsNoTracking().Where(d => d.ApplicationId == id).OrderByDescending(d => d.Round).ToListAsync(ct);
        var decision = decisions.FirstOrDefault();
        var actor = await context.ActorAsync(ct);
        var mayReadCommittee = actor is not null && actor.Roles.Overlaps(committeeOptions.Value.RolesSeeingVotes);
        var committee = !mayReadCommittee ? null : await (from i in db.CommitteeAgendaItems
                               join m in db.CommitteeMeetings on i.MeetingId equals m.Id
                               where i.ApplicationId == id && i.RecordedAt != null
                               orderby i.RecordedAt descending
                               select new { m.MeetingDate, i.MemberVotes }).FirstOrDefaultAsync(ct);
        return new ApplicationDetail(row, app, customer.Name, customer.ResidentIdMasked, customer.MobileMasked, product.Name, product.RequiredDocuments,
            missing, docs, app.Transitions.OrderBy(t => t.At).ToList(), app.TimeInStages(context.Now), mode, contract, loan, decision,
            committee is null ? null : new CommitteeOutcome(committee.MeetingDate, JsonSerializer.Deserialize<List<CommitteeMemberVote>>(committee.MemberVotes) ?? []),
            CommitteeVotesHidden: !mayReadCommittee && mode == ApprovalMode.Committee, Decisions: decisions);
    }

    /// <summary>
    /// A document's bytes (or its thumbnail) for the inline viewer, scope-checked like the application itself. Images
    /// stored before thumbnails existed get one made on the fly.
    /// </summary>
    public async Task<LoanOffice.Domain.Common.Result<DocumentFile>> DocumentAsync(Guid applicationId, Guid documentId, DocumentView view, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var app = await db.Applications.AsNoTracking().Where(a => a.Id == applicationId)
            .Select(a => new { a.TeamId, a.AssignedOfficerId, a.State }).SingleOrDefaultAsync(ct);
        if (app is null) return ActorContext.NotFound;
        if (!ActorContext.MaySee(scope, app.TeamId, app.AssignedOfficerId, app.State)) return ActorContext.OutOfScope;
        var doc = await db.ApplicationDocuments.AsNoTracking().Where(d => d.Id == documentId && d.ApplicationId == applicationId)
            .Select(d => new { d.FileName, d.ContentType }).SingleOrDefaultAsync(ct);
        var image = doc?.ContentType.StartsWith("image/", StringComparison.Ordinal) == true;
        if (doc is null || (view == DocumentView.Thumbnail && !image)) return LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.DocumentNotFound);
        var name = Path.GetFileNameWithoutExtension(doc.FileName);
        if (view == DocumentView.Thumbnail)
        {
            var stored = await db.ApplicationDocumentContents.Where(c => c.DocumentId == documentId).Select(c => c.Thumbnail).SingleAsync(ct)
                         ?? DocumentImages.Thumbnail(await db.ApplicationDocumentContents.Where(c => c.DocumentId == documentId).Select(c => c.Content).SingleAsync(ct));
            return stored is null
                ? LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.DocumentUnreadable)
                : new DocumentFile(stored, "image/jpeg", name + "-thumbnail.jpg") { Inline = true };
        }

        var content = await db.ApplicationDocumentContents.Where(c => c.DocumentId == documentId).Select(c => c.Content).SingleAsync(ct);
        if (view == DocumentView.Original || !image) return new DocumentFile(content, doc.ContentType, doc.FileName);
        return DocumentImages.View(content) is { } shown
            ? new DocumentFile(shown, "image/jpeg", name + ".jpg") { Inline = true }
            : LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.DocumentUnreadable);
    }

    /// <summary>Officers of a team (for assignment).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> OfficersOfAsync(Guid teamId, CancellationToken ct = default)
    {
        await using var db = await context.OpenAsync(ct);
        var list = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          where u.TeamId == teamId && r.Name == Roles.LoanOfficer
                          orderby u.DisplayName
                          select new { u.Id, u.DisplayName }).ToListAsync(ct);
        return list.Select(x => (x.Id, x.DisplayName)).ToList();
    }

    private static IQueryable<LoanApplication> Scoped(LoanOfficeDbContext db, DataScope scope)
    {
        var q = db.Applications.AsNoTracking();
        if (scope.SeesAll) return q;
        var teams = scope.TeamIds.ToArray();
        if (scope.Level == ScopeLevel.Own)
            return q.Where(a => teams.Contains(a.TeamId) && (a.AssignedOfficerId == null || a.AssignedOfficerId == scope.UserId));
        return q.Where(a => teams.Contains(a.TeamId));
    }

    private static IQueryable<ApplicationRow> Project(LoanOfficeDbContext db, IQueryable<LoanApplication> q, DateTimeOffset now) =>
        q.Select(a => new ApplicationRow(a.Id, a.Number, a.ApplicantName,
            db.Teams.Where(t => t.Id == a.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).FirstOrDefault() ?? "", a.ProductCode,
            a.RequestedAmount, a.RequestedMonths, a.ApprovedAmount, a.ApprovedMonths, a.State, a.StateSince, a.ReceivedAt, a.ClaimExpiresAt > now || db.ClaimHeartbeats.Any(h => h.ApplicationId == a.Id && h.UserId == a.ClaimedBy && h.ExpiresAt > now) ? a.ClaimedByName : null,
            db.Users.Where(u => u.Id == a.AssignedOfficerId).Select(u => u.DisplayName).FirstOrDefault(), a.Version));
}
