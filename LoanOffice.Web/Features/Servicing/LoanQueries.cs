using LoanOffice.Data;
using LoanOffice.Data.Origination;
using LoanOffice.Data.Servicing;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;
using CollectionCase = LoanOffice.Data.Servicing.CollectionCase;

namespace LoanOffice.Web.Features.Servicing;

/// <summary>What the loans list can be narrowed to (the API's query parameters).</summary>
public sealed record LoanFilter(string? Search = null, Guid? TeamId = null, Guid? OfficerId = null, LoanStatus? Status = null, LoanClass? Class = null,
    int? DpdFrom = null, int? DpdTo = null, DateOnly? DisbursedFrom = null, DateOnly? DisbursedTo = null)
{
    /// <summary>The cockpit's drill-downs: a region, a product, any of several classes, open loans only, extended loans out.</summary>
    public Guid? RegionId { get; init; }
    public string? ProductCode { get; init; }
    public RepaymentMethod? Method { get; init; }
    public IReadOnlyList<LoanClass>? Classes { get; init; }
    public bool OpenOnly { get; init; }
    public bool ExcludeExtended { get; init; }
    /// <summary>
    /// A past business date: the loans at risk as that night's snapshot saw them (portfolio_loan_states) — the
    /// drill-down of a past date's risk figures (PAR, arrears, non-performing and the classes below 正常).
    /// </summary>
    public DateOnly? AsOf { get; init; }
}

/// <summary>How many loans a filter finds and their outstanding principal (the figure a drill-down came from).</summary>
public sealed record LoanTotals(int Loans, decimal PrincipalOutstanding);

public sealed record LoanRow(Guid Id, string Number, string Customer, string Team, decimal Principal, decimal PrincipalOutstanding, int DaysPastDue, LoanClass Class, LoanStatus Status, DateOnly DisbursedOn);

public sealed record LoanDetail(
    Loan Loan,
    string Customer,
    string CustomerMobileMasked,
    string Team,
    string? Officer,
    string ApplicationNumber,
    Guid ApplicationId,
    IReadOnlyList<LoanTransaction> Transactions,
    decimal PenaltyAccrued,
    decimal CompoundAccrued,
    IReadOnlyList<LoanClassChange> ClassHistory,
    CollectionCase? Case,
    IReadOnlyList<CollectionAction> CaseActions,
    IReadOnlyList<LoanScheduleVersion> ScheduleVersions,
    IReadOnlyList<(string Name, string Type)> Documents)
{
    public decimal PenaltyOutstanding => OverdueAccrual.Outstanding(PenaltyAccrued, Loan.PenaltyPaid);
    public decimal CompoundOutstanding => OverdueAccrual.Outstanding(CompoundAccrued, Loan.CompoundPaid);
    public decimal PrincipalOutstanding => Loan.Installments.Sum(i => i.Principal - i.PrincipalPaid);
    public decimal InterestOutstanding => Loan.Installments.Sum(i => i.Interest - i.InterestPaid);
}

/// <summary>Loans as the signed-in user may see them (data scope on every query).</summary>
public sealed class LoanQueries(DataScopeService scopes, IDbContextFactory<LoanOfficeDbContext> dbFactory)
{
    public Task<PagedResult<LoanRow>> ListAsync(string? search, bool overdueOnly, int page, int pageSize, CancellationToken ct = default) =>
        ListAsync(new LoanFilter(Search: search, DpdFrom: overdueOnly ? 1 : null), page, pageSize, ct);

    /// <summary>The loans list of the page and of the API: within the caller's scope, filtered, most overdue first.</summary>
    public async Task<PagedResult<LoanRow>> ListAsync(LoanFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, Paging.MaxPageSize);
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (filter.AsOf is { } asOf) return await ListAsOfAsync(db, scope, filter, asOf, page, pageSize, ct);
        var loans = Filtered(db, scope, filter);
        var total = await loans.CountAsync(ct);
        var rows = await loans.OrderByDescending(l => l.DaysPastDue).ThenByDescending(l => l.CreatedAt).Page(page, pageSize)
            .Select(l => new LoanRow(l.Id, l.Number,
                db.Customers.Where(c => c.Id == l.CustomerId).Select(c => c.Name).First(),
                db.Teams.Where(t => t.Id == l.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).First(),
                l.Principal, l.PrincipalOutstanding, l.DaysPastDue, l.Class, l.Status, l.DisbursedOn))
            .ToListAsync(ct);
        return new PagedResult<LoanRow>(rows, total, page, pageSize);
    }

    /// <summary>The count and outstanding principal of everything a filter finds in the caller's scope.</summary>
    public async Task<LoanTotals> TotalsAsync(LoanFilter filter, CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (filter.AsOf is { } asOf)
        {
            // count and sum in one pass over that night's rows
            var sums = await StatesAsOf(db, scope, filter, asOf).GroupBy(_ => 1)
                .Select(g => new { Loans = g.Count(), Principal = g.Sum(s => s.PrincipalOutstanding) }).SingleOrDefaultAsync(ct);
            return new LoanTotals(sums?.Loans ?? 0, sums?.Principal ?? 0m);
        }

        var loans = Filtered(db, scope, filter);
        var count = await loans.CountAsync(ct);
        var principal = await loans.SumAsync(l => (decimal?)l.PrincipalOutstanding, ct) ?? 0m;
        return new LoanTotals(count, principal);
    }

    /// <summary>The loans at risk on a past date as its snapshot saw them: most overdue first, with that night's figures.</summary>
    private static async Task<PagedResult<LoanRow>> ListAsOfAsync(LoanOfficeDbContext db, Domain.Organisation.DataScope scope, LoanFilter filter, DateOnly asOf,
        int page, int pageSize, CancellationToken ct)
    {
        var states = StatesAsOf(db, scope, filter, asOf);
        var day = asOf.DayNumber;
        var total = await states.CountAsync(ct);
        // the page is chosen from that night's rows alone (the newest loan first among equals: ids are time-ordered
        // v7 uuids), and only its rows are joined to their loans — never the night's 100,000
        var chosen = await states.OrderByDescending(s => s.Dpd > 0 ? s.Dpd + (day - s.ValidFrom.DayNumber) : 0).ThenByDescending(s => s.LoanId)
            .Page(page, pageSize).Select(s => s.LoanId).ToListAsync(ct);
        var ids = chosen.ToArray();
        var rows = await (from s in states
                          where ids.Contains(s.LoanId)
                          join l in db.Loans on s.LoanId equals l.Id
                          select new { s, l.Number, l.Principal, l.DisbursedOn, l.CustomerId })
            .Select(x => new LoanRow(x.s.LoanId, x.Number,
                db.Customers.Where(c => c.Id == x.CustomerId).Select(c => c.Name).First(),
                db.Teams.Where(t => t.Id == x.s.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).First(),
                x.Principal, x.s.PrincipalOutstanding, x.s.Dpd > 0 ? x.s.Dpd + (day - x.s.ValidFrom.DayNumber) : 0, x.s.Class,
                x.s.Dpd > 0 ? LoanStatus.Overdue : LoanStatus.Active, x.DisbursedOn))
            .ToListAsync(ct);
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        rows = [.. rows.OrderBy(r => order[r.Id])];
        return new PagedResult<LoanRow>(rows, total, page, pageSize);
    }

    private static IQueryable<PortfolioLoanState> StatesAsOf(LoanOfficeDbContext db, Domain.Organisation.DataScope scope, LoanFilter filter, DateOnly asOf)
    {
        var day = asOf.DayNumber;
        var states = db.PortfolioLoanStates.AsNoTracking().Where(s => s.ValidFrom <= asOf && (s.ValidTo == null || s.ValidTo > asOf));
        if (!scope.SeesAll) states = states.Where(s => scope.TeamIds.Contains(s.TeamId) && (scope.Level != Domain.Organisation.ScopeLevel.Own || s.OfficerId == scope.UserId));
        if (filter.DpdFrom is { } from) states = states.Where(s => s.Dpd > 0 && s.Dpd + (day - s.ValidFrom.DayNumber) >= from);
        if (filter.DpdTo is { } to) states = states.Where(s => (s.Dpd > 0 ? s.Dpd + (day - s.ValidFrom.DayNumber) : 0) <= to);
        if (filter.TeamId is { } team) states = states.Where(s => s.TeamId == team);
        if (filter.OfficerId is { } officer) states = states.Where(s => s.OfficerId == officer);
        if (filter.Class is { } @class) states = states.Where(s => s.Class == @class);
        if (filter.RegionId is { } region) states = states.Where(s => db.Teams.Any(t => t.Id == s.TeamId && t.RegionId == region));
        if (filter.ProductCode is { } product) states = states.Where(s => s.ProductCode == product);
        if (filter.Method is { } method) states = states.Where(s => s.Method == method);
        if (filter.Classes is { Count: > 0 } classes) states = states.Where(s => classes.Contains(s.Class));
        if (filter.ExcludeExtended) states = states.Where(s => !s.Extended);
        if (Search.SearchQueries.Clean(filter.Search) is { Length: > 0 } q)
        {
            states = states.Where(s => db.Loans.Any(l => l.Id == s.LoanId && (l.Number.StartsWith(q) || db.Customers.Any(c => c.Id == l.CustomerId && c.Name.StartsWith(q)))));
        }

        return states;
    }

    private static IQueryable<Loan> Filtered(LoanOfficeDbContext db, Domain.Organisation.DataScope scope, LoanFilter filter)
    {
        var loans = db.Loans.AsNoTracking();
        if (!scope.SeesAll) loans = loans.Where(l => scope.TeamIds.Contains(l.TeamId) && (scope.Level != Domain.Organisation.ScopeLevel.Own || l.OfficerId == scope.UserId));
        if (filter.DpdFrom is { } from) loans = loans.Where(l => l.DaysPastDue >= from);
        if (filter.DpdTo is { } to) loans = loans.Where(l => l.DaysPastDue <= to);
        if (filter.TeamId is { } team) loans = loans.Where(l => l.TeamId == team);
        if (filter.OfficerId is { } officer) loans = loans.Where(l => l.OfficerId == officer);
        if (filter.Status is { } status) loans = loans.Where(l => l.Status == status);
        if (filter.Class is { } @class) loans = loans.Where(l => l.Class == @class);
        if (filter.DisbursedFrom is { } df) loans = loans.Where(l => l.DisbursedOn >= df);
        if (filter.DisbursedTo is { } dt) loans = loans.Where(l => l.DisbursedOn <= dt);
        if (Search.SearchQueries.Clean(filter.Search) is { Length: > 0 } s)
        {
            loans = loans.Where(l => l.Number.StartsWith(s) || db.Customers.Any(c => c.Id == l.CustomerId && c.Name.StartsWith(s)));
        }

        if (filter.RegionId is { } region) loans = loans.Where(l => db.Teams.Any(t => t.Id == l.TeamId && t.RegionId == region));
        if (filter.ProductCode is { } product) loans = loans.Where(l => l.ProductCode == product);
        if (filter.Method is { } method) loans = loans.Where(l => l.Method == method);
        if (filter.Classes is { Count: > 0 } classes) loans = loans.Where(l => classes.Contains(l.Class));
        if (filter.OpenOnly) loans = loans.Where(l => l.Status == LoanStatus.Active || l.Status == LoanStatus.Overdue);
        if (filter.ExcludeExtended) loans = loans.Where(l => !l.Extended);
        return loans;
    }

    /// <summary>A loan's id by its number, when the caller may see it.</summary>
    public async Task<Guid?> IdOfAsync(string number, CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var loan = await db.Loans.AsNoTracking().Where(l => l.Number == number).Select(l => new { l.Id, l.TeamId, l.OfficerId }).SingleOrDefaultAsync(ct);
        return loan is not null && scope.CanSee(loan.TeamId, loan.OfficerId) ? loan.Id : null;
    }

    public async Task<LoanDetail?> DetailAsync(Guid id, CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var loan = await db.Loans.AsNoTracking().Include(l => l.Installments.OrderBy(i => i.Number)).SingleOrDefaultAsync(l => l.Id == id, ct);
        if (loan is null || !scope.CanSee(loan.TeamId, loan.OfficerId)) return null;
        loan.BringForward(await db.ClosedThroughAsync(ct)); // a resting loan's state holds to the book's last close
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == loan.CustomerId).Select(c => new { c.Name, c.MobileMasked }).SingleAsync(ct);
        var team = await db.Teams.Where(t => t.Id == loan.TeamId).Select(t => OrgNames.English && t.NameEn != null ? t.NameEn : t.Name).SingleAsync(ct);
        var officer = loan.OfficerId is { } o ? await db.Users.Where(u => u.Id == o).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) : null;
        var application = await db.Applications.AsNoTracking().Where(a => a.Id == loan.ApplicationId).Select(a => new { a.Id, a.Number }).SingleOrDefaultAsync(ct);
        var transactions = await db.LoanTransactions.AsNoTracking().Where(t => t.LoanId == id).OrderBy(t => t.ValueDate).ThenBy(t => t.PostedAt).ToListAsync(ct);
        var accrued = await db.LoanAccruals.Where(a => a.LoanId == id).GroupBy(a => a.Kind).Select(g => new { g.Key, Sum = g.Sum(a => a.Amount) }).ToListAsync(ct);
        var history = await db.LoanClassChanges.AsNoTracking().Where(c => c.LoanId == id).OrderBy(c => c.Id).ToListAsync(ct);
        var @case = await db.CollectionCases.AsNoTracking().Where(c => c.LoanId == id).OrderByDescending(c => c.Status == CaseStatus.Open).ThenByDescending(c => c.OpenedOn).FirstOrDefaultAsync(ct);
        var actions = @case is null ? [] : await db.CollectionActions.AsNoTracking().Where(a => a.CaseId == @case.Id).OrderBy(a => a.At).ToListAsync(ct);
        var versions = await db.LoanScheduleVersions.AsNoTracking().Where(v => v.LoanId == id).OrderBy(v => v.Id).ToListAsync(ct);
        var documents = application is null ? [] : await db.ApplicationDocuments.AsNoTracking().Where(d => d.ApplicationId == application.Id)
            .OrderBy(d => d.UploadedAt).Select(d => new { d.FileName, d.DocumentType }).ToListAsync(ct);
        return new LoanDetail(loan, customer.Name, customer.MobileMasked, team, officer, application?.Number ?? "—", loan.ApplicationId, transactions,
            accrued.Where(a => a.Key == AccrualKind.Penalty).Sum(a => a.Sum), accrued.Where(a => a.Key == AccrualKind.Compound).Sum(a => a.Sum),
            history, @case, actions, versions, documents.Select(d => (d.FileName, d.DocumentType)).ToList());
    }
}
