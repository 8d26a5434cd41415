using LoanOffice.Data;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Organisation;
using LoanOffice.Domain.Portfolio;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;
using LoanOffice.Data.Sql;
using Npgsql;

namespace LoanOffice.Web.Features.Cockpit;

/// <summary>What the cockpit is narrowed to: a region, a team, a product; extended (展期) loans in or out.</summary>
public sealed record CockpitFilter(Guid? RegionId = null, Guid? TeamId = null, string? ProductCode = null, bool IncludeExtended = true)
{
    /// <summary>The first day of the reporting period for lending and collections (it ends on the as-of date); null: the month to date.</summary>
    public DateOnly? PeriodFrom { get; init; }
}

/// <summary>What the rows of the breakdown are: regions (the whole company), teams (a region) or officers (a team).</summary>
public enum BreakdownLevel
{
    Region,
    Team,
    Officer,
}

/// <summary>Lending and collections in a period (principal disbursed; every repayment and prepayment received, net of reversals).</summary>
public sealed record Flow(DateOnly From, DateOnly To, int LoansDisbursed, decimal Disbursed, decimal Collected);

public sealed record FlowComparison(Flow ThisMonth, Flow LastMonth, Flow SameMonthLastYear);

/// <summary>
/// What fell due in a period (principal and interest of its installments) against what was paid by the due date plus
/// grace (the on-time collection rate) and what was recovered later.
/// </summary>
public sealed record Collections(DateOnly From, DateOnly To, decimal Due, decimal PaidOnTime, decimal RecoveredLate)
{
    public Ratio OnTimeRate => new(PaidOnTime, Due);
}

public sealed record BreakdownRow(Guid? Id, string Name, PortfolioFigures Figures);

public sealed record ProductMethodRow(string ProductCode, RepaymentMethod Method, PortfolioFigures Figures);

/// <summary>One disbursement month: what was lent, what is outstanding now, and its PAR30.</summary>
public sealed record Vintage(DateOnly Month, int Loans, decimal Disbursed, decimal Outstanding, decimal AtRisk30)
{
    /// <summary>PAR30 of the cohort: outstanding principal more than 30 days past due ÷ the cohort's outstanding principal.</summary>
    public Ratio Par30 => new(AtRisk30, Outstanding);

    /// <summary>The same at-risk balance ÷ what the cohort was lent (so repaid loans cannot dilute it).</summary>
    public Ratio AtRiskOfDisbursed => new(AtRisk30, Disbursed);
}

/// <summary>
/// A vintage curve: a disbursement month and, month-end by month-end since, the principal of its loans more than 30 days
/// past due that night ÷ what the month lent (growth after it cannot dilute it; repayments cannot either).
/// </summary>
public sealed record VintageCurve(DateOnly Month, decimal Lent, IReadOnlyList<VintagePoint> Points);

/// <summary>A month-end of a vintage curve: months on book (0 = the month-end of the disbursement month) and PAR30 of the lent.</summary>
public sealed record VintagePoint(int MonthsOnBook, DateOnly MonthEnd, decimal AtRisk30, decimal Lent)
{
    public Ratio Par30OfLent => new(AtRisk30, Lent);

    public static int MonthsBetween(DateOnly month, DateOnly monthEnd) => (monthEnd.Year - month.Year) * 12 + monthEnd.Month - month.Month;
}

/// <summary>Loans that were in one class at the start and in another (or the same) at the end; null = not in the book then.</summary>
public sealed record ClassMove(LoanClass? From, LoanClass? To, int Loans, decimal PrincipalNow);

/// <summary>One loan officer's line in the league (this month's lending; the book after the last close; promises due by then).</summary>
public sealed record OfficerLine(Guid Id, string Name, decimal DisbursedThisMonth, int OpenLoans, decimal Outstanding, decimal AtRisk30,
    int OpenTasks, int OpenCases, int PromisesKept, int PromisesBroken)
{
    public Ratio Par30 => new(AtRisk30, Outstanding);

    /// <summary>Principal and interest of the officer's loans falling due in the period, and what of it was paid by the due date plus grace.</summary>
    public decimal Due { get; init; }
    public decimal PaidOnTime { get; init; }

    /// <summary>Visits at the customer in the period, and those verified against the track or the photo (field work).</summary>
    public int Visits { get; init; }
    public int VerifiedVisits { get; init; }

    /// <summary>The officer's on-time collection rate (the rule of <see cref="Collections.OnTimeRate"/>).</summary>
    public Ratio OnTimeRate => new(PaidOnTime, Due);
}

public sealed record CockpitOption(Guid Id, string Name, Guid? RegionId);

public sealed record CockpitOptions(IReadOnlyList<CockpitOption> Regions, IReadOnlyList<CockpitOption> Teams, IReadOnlyList<string> Products, ScopeLevel Level);

/// <summary>This month's collections (to the as-of date) and last month's.</summary>
public sealed record CollectionsPair(Collections ThisMonth, Collections LastMonth);

public sealed record Dashboard(
    DateOnly AsOf, CockpitFilter Filter, BreakdownLevel Level, PortfolioFigures Total, FlowComparison Flows,
    IReadOnlyList<BreakdownRow> Breakdown, IReadOnlyList<ProductMethodRow> ByProduct)
{
    /// <summary>Vintages by disbursement month, and the classes' migration since the end of last month (today's book only).</summary>
    public IReadOnlyList<Vintage> Vintages { get; init; } = [];

    /// <summary>The last twelve disbursement months' curves (PAR30 of what each lent, month-end by month-end).</summary>
    public IReadOnlyList<VintageCurve> VintageCurves { get; init; } = [];

    public IReadOnlyList<ClassMove> Migration { get; init; } = [];

    /// <summary>The loan officers of the teams in view (today's book only).</summary>
    public IReadOnlyList<OfficerLine> Officers { get; init; } = [];

    /// <summary>This month's (to the as-of date) and last month's collections against what fell due (with the details).</summary>
    public CollectionsPair? Collections { get; init; }

    /// <summary>
    /// Whether the details are in: the collection rates, vintages, migration and officers are read after the headline
    /// figures (the page shows the headline first and fills the rest in), <see cref="PortfolioDashboard.GetAsync"/> returns both.
    /// </summary>
    public bool HasDetails { get; init; }

    /// <summary>A past date, read from that night's snapshot (its figures do not link to today's loans).</summary>
    public bool FromSnapshot { get; init; }

    /// <summary>The reporting period of the lending and collection figures and the periods they are compared with.</summary>
    public required PeriodComparison Period { get; init; }
}

/// <summary>
/// The managers' portfolio dashboard as of the book's last close (the live tables: each open loan as its last close
/// left it, <c>lo_loan_positions</c>) or of an earlier business date (the close's snapshot of that night), within the reader's data scope: the GM's company by region, a regional
/// director's region by team, a team lead's team by officer. The figures are the domain's
/// (<see cref="PortfolioQuality"/>) over the cells the database adds up.
/// </summary>
public sealed class PortfolioDashboard(DataScopeService scopes, NpgsqlDataSource dataSource, IDbContextFactory<LoanOfficeDbContext> dbFactory, TimeProvider clock)
{
    public static readonly string[] ViewerRoles = [Roles.GeneralManager, Roles.RegionalDirector, Roles.TeamLead, Roles.Compliance];

    public DateOnly AsOf => Fmt.LastEndedBusinessDate(clock);

    /// <summary>Every figure: the headline and the details.</summary>
    public async Task<Result<Dashboard>> GetAsync(CockpitFilter filter, DateOnly? asOf = null, CancellationToken ct = default)
    {
        var headline = await HeadlineAsync(filter, asOf, ct);
        return headline.IsSuccess ? await WithDetailsAsync(headline.Value!, ct) : headline;
    }

    /// <summary>
    /// The details of a headline: this month's and last month's collections, and for today's book the vintages, the
    /// classes' migration since last month's end and the officer league.
    /// </summary>
    public async Task<Result<Dashboard>> WithDetailsAsync(Dashboard headline, CancellationToken ct = default)
    {
        var inScope = await TeamsInScopeAsync(headline.Filter, ct);
        if (!inScope.IsSuccess) return inScope.Error!;
        var teamIds = inScope.Value!;
        var scope = await scopes.GetAsync(ct);
        Guid? ownOnly = scope.Level == ScopeLevel.Own ? scope.UserId : null;
        var (date, filter, live, period) = (headline.AsOf, headline.Filter, !headline.FromSnapshot, headline.Period);
        var monthStart = new DateOnly(date.Year, date.Month, 1);
        // this period's collections per officer (the league) and added up (the tile), in one pass
        var byOfficer = await CollectionsByOfficerAsync(period.Current.From, period.Current.To, teamIds, ownOnly, filter, ct);
        var current = new Collections(period.Current.From, period.Current.To, byOfficer.Values.Sum(c => c.Due), byOfficer.Values.Sum(c => c.OnTime),
            byOfficer.Values.Sum(c => c.Late));
        var collections = new CollectionsPair(current, await CollectionsAsync(period.Previous.From, period.Previous.To, teamIds, ownOnly, filter, ct));
        return headline with
        {
            HasDetails = true, Collections = collections,
            Vintages = live ? await VintagesAsync(date, teamIds, ownOnly, filter, ct) : [],
            VintageCurves = await VintageCurvesAsync(date, teamIds, ownOnly, filter, ct),
            Migration = live ? await MigrationAsync(monthStart.AddDays(-1), date, teamIds, ownOnly, filter, ct) : [],
            Officers = live ? await OfficersAsync(period.Current.From, date, teamIds, ownOnly, byOfficer, ct) : [],
        };
    }

    /// <summary>The headline figures (what the page shows first): the book's quality, its breakdown, lending this month vs before.</summary>
    public async Task<Result<Dashboard>> HeadlineAsync(CockpitFilter filter, DateOnly? asOf = null, CancellationToken ct = default)
    {
        // the last close from the live tables; an earlier date from that night's snapshot
        var date = asOf ?? AsOf;
        var live = date == AsOf;
        if (date > AsOf || (!live && !await HasSnapshotAsync(date, ct)))
            return Error.Of(ErrorCodes.DashboardAsOfUnavailable, Fmt.Date(date), Fmt.Date(AsOf)).At("asOf");
        if (ReportingPeriods.Of(filter.PeriodFrom, date) is not { } period)
            return Error.Of(ErrorCodes.DashboardPeriodInvalid, Fmt.Date(filter.PeriodFrom!.Value), Fmt.Date(date)).At("from");
        var inScope = await TeamsInScopeAsync(filter, ct);
        if (!inScope.IsSuccess) return inScope.Error!;
        var teamIds = inScope.Value!;
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.RegionId, t.Name, t.NameEn }).ToListAsync(ct);
        var visible = teams.Where(t => scope.SeesAll || scope.TeamIds.Contains(t.Id)).ToList();
        Guid? ownOnly = scope.Level == ScopeLevel.Own ? scope.UserId : null;

        var cells = await CellsAsync(live ? PortfolioSql.LiveCells : PortfolioSql.SnapshotCells, date, teamIds, ownOnly, filter, ct);
        var level = filter.TeamId is not null || scope.Level is ScopeLevel.Team or ScopeLevel.Own ? BreakdownLevel.Officer
            : filter.RegionId is not null || scope.Level == ScopeLevel.Region ? BreakdownLevel.Team : BreakdownLevel.Region;

        IReadOnlyList<BreakdownRow> breakdown;
        switch (level)
        {
            case BreakdownLevel.Region:
                var regions = await db.Regions.AsNoTracking().Select(r => new { r.Id, r.Name, r.NameEn }).ToListAsync(ct);
                var regionOf = teams.ToDictionary(t => t.Id, t => t.RegionId);
                breakdown = regions.Select(r => new BreakdownRow(r.Id, OrgNames.Of(r.Name, r.NameEn),
                        PortfolioQuality.Of(cells.Where(c => regionOf[c.TeamId] == r.Id)))).OrderByDescending(r => r.Figures.PrincipalOutstanding).ToList();
                break;
            case BreakdownLevel.Team:
                breakdown = visible.Where(t => teamIds.Contains(t.Id)).Select(t => new BreakdownRow(t.Id, OrgNames.Of(t.Name, t.NameEn),
                    PortfolioQuality.Of(cells.Where(c => c.TeamId == t.Id)))).OrderByDescending(r => r.Figures.PrincipalOutstanding).ToList();
                break;
            default:
                var officerIds = cells.Where(c => c.OfficerId is not null).Select(c => c.OfficerId!.Value).Distinct().ToList();
                var names = await db.Users.AsNoTracking().Where(u => officerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
                breakdown = cells.GroupBy(c => c.OfficerId).Select(g => new BreakdownRow(g.Key,
                        g.Key is { } id && names.TryGetValue(id, out var n) ? n : "—", PortfolioQuality.Of(g)))
                    .OrderByDescending(r => r.Figures.PrincipalOutstanding).ToList();
                break;
        }

        var byProduct = cells.GroupBy(c => (c.ProductCode, c.Method)).OrderBy(g => g.Key.ProductCode).ThenBy(g => g.Key.Method)
            .Select(g => new ProductMethodRow(g.Key.ProductCode, g.Key.Method, PortfolioQuality.Of(g))).ToList();

        var flows = await FlowsAsync([period.Current, period.Previous, period.YearEarlier], teamIds, ownOnly, filter, ct);
        return new Dashboard(date, filter, level, PortfolioQuality.Of(cells), new FlowComparison(flows[0], flows[1], flows[2]), breakdown, byProduct)
        {
            FromSnapshot = !live, Period = period,
        };
    }

    public async Task<Result<Guid[]>> TeamsInScopeAsync(CockpitFilter filter, CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = (await db.Teams.AsNoTracking().Select(t => new { t.Id, t.RegionId }).ToListAsync(ct))
            .Where(t => scope.SeesAll || scope.TeamIds.Contains(t.Id)).ToList();
        if (filter.TeamId is { } team && visible.All(t => t.Id != team)) return Error.Of(ErrorCodes.Forbidden).At("team");
        if (filter.RegionId is { } region && visible.All(t => t.RegionId != region)) return Error.Of(ErrorCodes.Forbidden).At("region");
        return visible.Where(t => (filter.TeamId is null || t.Id == filter.TeamId) && (filter.RegionId is null || t.RegionId == filter.RegionId))
            .Select(t => t.Id).ToArray();
    }

    /// <summary>The regions and teams the reader may narrow the cockpit to, and the products.</summary>
    public async Task<CockpitOptions> OptionsAsync(CancellationToken ct = default)
    {
        var scope = await scopes.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = (await db.Teams.AsNoTracking().OrderBy(t => t.Code).Select(t => new { t.Id, t.RegionId, t.Name, t.NameEn }).ToListAsync(ct))
            .Where(t => scope.SeesAll || scope.TeamIds.Contains(t.Id)).Select(t => new CockpitOption(t.Id, OrgNames.Of(t.Name, t.NameEn), t.RegionId)).ToList();
        var regionIds = teams.Select(t => t.RegionId).ToHashSet();
        var regions = (await db.Regions.AsNoTracking().OrderBy(r => r.Code).Select(r => new { r.Id, r.Name, r.NameEn }).ToListAsync(ct))
            .Where(r => regionIds.Contains(r.Id)).Select(r => new CockpitOption(r.Id, OrgNames.Of(r.Name, r.NameEn), null)).ToList();
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Code).Select(p => p.Code).ToListAsync(ct);
        return new CockpitOptions(regions, teams, products, scope.Level);
    }

    /// <summary>The open loans in scope, added up per team × officer × product × method × class × extended × DPD bucket.</summary>
    private async Task<List<PortfolioCell>> CellsAsync(string sql, DateOnly date, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        Parameters(cmd, teamIds, ownOnly, filter);
        cmd.Parameters.AddWithValue("d", date);
        var cells = new List<PortfolioCell>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            cells.Add(new PortfolioCell(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2),
                Enum.Parse<RepaymentMethod>(reader.GetString(3)), Enum.Parse<LoanClass>(reader.GetString(4)), reader.GetBoolean(5),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetDecimal(8), reader.GetDecimal(9)));
        return cells;
    }

    private async Task<Collections> CollectionsAsync(DateOnly from, DateOnly to, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PortfolioSql.Collections);
        Parameters(cmd, teamIds, ownOnly, filter);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Collections(from, to, reader.GetDecimal(0), reader.GetDecimal(1), reader.GetDecimal(2));
    }

    /// <summary>Collections per officer (<see cref="Guid.Empty"/>: loans without an officer).</summary>
    private async Task<Dictionary<Guid, (decimal Due, decimal OnTime, decimal Late)>> CollectionsByOfficerAsync(DateOnly from, DateOnly to, Guid[] teamIds, Guid? ownOnly,
        CockpitFilter filter, CancellationToken ct)
    {
        var rows = new Dictionary<Guid, (decimal Due, decimal OnTime, decimal Late)>();
        await using var cmd = dataSource.CreateCommand(PortfolioSql.CollectionsByOfficer);
        Parameters(cmd, teamIds, ownOnly, filter);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) rows[r.IsDBNull(0) ? Guid.Empty : r.GetGuid(0)] = (r.GetDecimal(1), r.GetDecimal(2), r.GetDecimal(3));
        return rows;
    }

    private async Task<IReadOnlyList<Vintage>> VintagesAsync(DateOnly date, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PortfolioSql.Vintages);
        Parameters(cmd, teamIds, ownOnly, filter);
        cmd.Parameters.AddWithValue("d", date);
        var rows = new List<Vintage>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new Vintage(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetDecimal(2), reader.GetDecimal(3), reader.GetDecimal(4)));
        return rows;
    }

    /// <summary>Curves of the disbursement months of the twelve months to the as-of date (this month's included).</summary>
    private async Task<IReadOnlyList<VintageCurve>> VintageCurvesAsync(DateOnly date, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter, CancellationToken ct)
    {
        var first = new DateOnly(date.Year, date.Month, 1).AddMonths(-CurveMonths + 1);
        await using var cmd = dataSource.CreateCommand(PortfolioSql.VintageCurves);
        Parameters(cmd, teamIds, ownOnly, filter);
        cmd.Parameters.AddWithValue("first", first);
        cmd.Parameters.AddWithValue("d", date);
        var points = new List<(DateOnly Month, decimal Lent, DateOnly End, decimal AtRisk)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                points.Add((reader.GetFieldValue<DateOnly>(0), reader.GetDecimal(1), reader.GetFieldValue<DateOnly>(2), reader.GetDecimal(3)));
        return points.GroupBy(p => (p.Month, p.Lent)).Select(g => new VintageCurve(g.Key.Month, g.Key.Lent,
            g.Select(p => new VintagePoint(VintagePoint.MonthsBetween(p.Month, p.End), p.End, p.AtRisk, p.Lent)).OrderBy(p => p.MonthsOnBook).ToList())).ToList();
    }

    /// <summary>How many disbursement months the curves show.</summary>
    public const int CurveMonths = 12;

    private async Task<IReadOnlyList<ClassMove>> MigrationAsync(DateOnly from, DateOnly to, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PortfolioSql.Migration);
        Parameters(cmd, teamIds, ownOnly, filter);
        cmd.Parameters.AddWithValue("prev", from);
        cmd.Parameters.AddWithValue("d", to);
        var rows = new List<ClassMove>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new ClassMove(reader.IsDBNull(0) ? null : Enum.Parse<LoanClass>(reader.GetString(0)), reader.IsDBNull(1) ? null : Enum.Parse<LoanClass>(reader.GetString(1)),
                reader.GetInt32(2), reader.GetDecimal(3)));
        return rows;
    }

    private async Task<IReadOnlyList<OfficerLine>> OfficersAsync(DateOnly from, DateOnly to, Guid[] teamIds, Guid? ownOnly,
        IReadOnlyDictionary<Guid, (decimal Due, decimal OnTime, decimal Late)> collected, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PortfolioSql.OfficerLeague);
        cmd.Parameters.AddWithValue("teams", teamIds);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("d", to);
        var rows = new List<OfficerLine>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new OfficerLine(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt32(3), reader.GetDecimal(4), reader.GetDecimal(5),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9))
            {
                Due = collected.GetValueOrDefault(reader.GetGuid(0)).Due, PaidOnTime = collected.GetValueOrDefault(reader.GetGuid(0)).OnTime,
                Visits = reader.GetInt32(10), VerifiedVisits = reader.GetInt32(11),
            });
        return ownOnly is { } own ? rows.Where(r => r.Id == own).ToList() : rows;
    }

    private async Task<bool> HasSnapshotAsync(DateOnly date, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PortfolioSql.HasSnapshot);
        cmd.Parameters.AddWithValue("d", date);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<Flow[]> FlowsAsync(ReportingPeriod[] periods, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PortfolioSql.Flows);
        Parameters(cmd, teamIds, ownOnly, filter);
        for (var i = 0; i < periods.Length; i++)
        {
            cmd.Parameters.AddWithValue("from" + i, periods[i].From);
            cmd.Parameters.AddWithValue("to" + i, periods[i].To);
        }

        var flows = new Flow[periods.Length];
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var n = reader.GetInt32(0);
            flows[n] = new Flow(periods[n].From, periods[n].To, reader.GetInt32(1), reader.GetDecimal(2), reader.GetDecimal(3));
        }

        return flows;
    }

    private static void Parameters(NpgsqlCommand cmd, Guid[] teamIds, Guid? ownOnly, CockpitFilter filter)
    {
        cmd.Parameters.AddWithValue("teams", teamIds);
        cmd.Parameters.Add(new NpgsqlParameter("own", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)ownOnly ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("product", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)filter.ProductCode ?? DBNull.Value });
        cmd.Parameters.AddWithValue("extended", filter.IncludeExtended);
    }
}
