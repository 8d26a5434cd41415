using LoanOffice.Web.Hosting;
using LoanOffice.Data.Sql;
using LoanOffice.Data.Origination;
using LoanOffice.Data;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Servicing;

public sealed record CaseRow(Guid CaseId, Guid LoanId, string LoanNumber, string Customer, string Team, Guid? OfficerId, string? Officer, int DaysPastDue,
    decimal OverdueAmount, DateOnly OpenedOn, CollectionActionKind? LastAction, DateTimeOffset? LastActionAt, DateOnly? PromisedDate, decimal? PromisedAmount);

public sealed record CaseFilter(Guid? TeamId = null, Guid? OfficerId = null, int MinDaysPastDue = 0, bool BrokenPromisesOnly = false);

public sealed record NewCollectionAction(CollectionActionKind? Kind, string? Note, DateOnly? PromisedDate, decimal? PromisedAmount);

/// <summary>
/// 催收: the queue of open collection cases (opened by the close for newly overdue loans, closed when the loan is
/// current again) in the user's data scope, and the actions officers log on a case. Only the case's officer, or a
/// team lead / regional director / GM over it, logs actions; Compliance reads.
/// </summary>
public sealed class CollectionsService(ActorContext context, Field.FieldVisits visits)
{
    public static readonly string[] ActorRoles = [Roles.LoanOfficer, Roles.TeamLead, Roles.RegionalDirector, Roles.GeneralManager];

    public async Task<PagedResult<CaseRow>> QueueAsync(CaseFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var cases = db.CollectionCases.AsNoTracking().Where(c => c.Status == CaseStatus.Open);
        if (!scope.SeesAll) cases = cases.Where(c => scope.TeamIds.Contains(c.TeamId) && (scope.Level != ScopeLevel.Own || c.OfficerId == scope.UserId));
        if (filter.TeamId is { } team) cases = cases.Where(c => c.TeamId == team);
        if (filter.OfficerId is { } officer) cases = cases.Where(c => c.OfficerId == officer);
        var today = DateOnly.FromDateTime(Fmt.ToChina(context.Now).DateTime);
        var query = from c in cases
                    join l in db.Loans on c.LoanId equals l.Id
                    where Loan.OpenStatuses.Contains(l.Status) && l.DaysPastDue >= filter.MinDaysPastDue
                    let last = db.CollectionActions.Where(a => a.CaseId == c.Id).OrderByDescending(a => a.At).FirstOrDefault()
                    let promise = db.CollectionActions.Where(a => a.CaseId == c.Id && a.Kind == CollectionActionKind.PromiseToPay).OrderByDescending(a => a.At).FirstOrDefault()
                    select new { c, l, last, promise };
        if (filter.BrokenPromisesOnly) query = query.Where(x => x.promise != null && x.promise.PromisedDate < today);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(x => x.l.DaysPastDue).ThenBy(x => x.l.Number).Page(page, pageSize)
            .Select(x => new CaseRow(x.c.Id, x.l.Id, x.l.Number,
                db.Customers.Where(cu => cu.Id == x.l.CustomerId).Select(cu => cu.Name).First(),
                db.Teams.Where(t => t.Id == x.c.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).First(),
                x.c.OfficerId, db.Users.Where(u => u.Id == x.c.OfficerId).Select(u => u.DisplayName).FirstOrDefault(),
                x.l.DaysPastDue,
                x.l.Installments.Where(i => LoanRulesSql.IsOverdue(i.DueDate, x.l.GraceDays, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid, x.l.ClosedThrough)).Sum(i => i.Principal - i.PrincipalPaid + i.Interest - i.InterestPaid),
                x.c.OpenedOn,
                x.last == null ? null : x.last.Kind, x.last == null ? null : x.last.At,
                x.promise == null ? null : x.promise.PromisedDate, x.promise == null ? null : x.promise.PromisedAmount))
            .ToListAsync(ct);
        return new PagedResult<CaseRow>(rows, total, page, pageSize);
    }

    /// <summary>Teams and officers the user can filter the queue by.</summary>
    public async Task<(IReadOnlyList<(Guid Id, string Name)> Teams, IReadOnlyList<(Guid Id, string Name, Guid? TeamId)> Officers)> FilterOptionsAsync(CancellationToken ct = default)
    {
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var teams = await db.Teams.AsNoTracking().Where(t => scope.SeesAll || scope.TeamIds.Contains(t.Id)).OrderBy(t => t.Code).Select(t => new { t.Id, Name = OrgNames.English && t.NameEn != null ? t.NameEn : t.Name }).ToListAsync(ct);
        var officerRole = await db.Roles.Where(r => r.Name == Roles.LoanOfficer).Select(r => r.Id).SingleAsync(ct);
        var officers = await (from u in db.Users
                              join ur in db.UserRoles on u.Id equals ur.UserId
                              where ur.RoleId == officerRole && (scope.SeesAll || (u.TeamId != null && scope.TeamIds.Contains(u.TeamId.Value)))
                              orderby u.DisplayName
                              select new { u.Id, u.DisplayName, u.TeamId }).ToListAsync(ct);
        return (teams.Select(t => (t.Id, t.Name)).ToList(), officers.Where(o => scope.Level != ScopeLevel.Own || o.Id == scope.UserId).Select(o => (o.Id, o.DisplayName, o.TeamId)).ToList());
    }

    public async Task<Result<Guid>> LogActionAsync(Guid caseId, NewCollectionAction action, uint caseVersion)
    {
        var today = DateOnly.FromDateTime(Fmt.ToChina(context.Now).DateTime);
        // the input first (field errors before anything else), then who may, then the case itself
        var checkedInput = Domain.Loans.CollectionCase.CheckEntry(action.Kind, action.Note, action.PromisedDate, action.PromisedAmount, today);
        if (!checkedInput.IsSuccess) return checkedInput.Error!;
        var actor = await context.ActorAsync();
        if (actor is null) return ActorContext.NotSignedIn;
        if (!ActorRoles.Any(actor.Roles.Contains)) return Error.Of(ErrorCodes.CollectionForbidden);
        await using var db = await context.OpenAsync();
        var @case = await db.CollectionCases.SingleOrDefaultAsync(c => c.Id == caseId);
        if (@case is null) return Error.Of(ErrorCodes.CollectionNotFound);
        if (!(await context.ScopeAsync()).CanSee(@case.TeamId, @case.OfficerId)) return Error.Of(ErrorCodes.CollectionOutOfScope);
        var entry = @case.ToDomain().Log(action.Kind, action.Note, action.PromisedDate, action.PromisedAmount, today);
        if (!entry.IsSuccess) return entry.Error!;
        if (@case.Version != caseVersion) return Error.Of(ErrorCodes.CollectionChanged);
        db.Entry(@case).Property(c => c.Version).OriginalValue = caseVersion;
        var e = entry.Value!;
        var row = new CollectionAction
        {
            Id = Guid.CreateVersion7(), CaseId = @case.Id, Kind = e.Kind, Note = e.Note, PromisedDate = e.PromisedDate, PromisedAmount = e.PromisedAmount,
            By = actor.UserId, ByName = actor.Name, At = context.Now,
        };
        db.CollectionActions.Add(row);
        db.Entry(@case).State = EntityState.Modified; // the case's version moves with every action (xmin)
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Of(ErrorCodes.CollectionChanged);
        }

        // a visit logged by the case's officer is checked against their track now (上门催收: verified or not)
        if (e.Kind == CollectionActionKind.Visit && @case.OfficerId == actor.UserId)
            await visits.RecordAsync(new Field.VisitReport(Domain.Field.VisitKind.Collection, null, @case.Id, context.Now, Note: e.Note), actionId: row.Id);
        return row.Id;
    }
}
