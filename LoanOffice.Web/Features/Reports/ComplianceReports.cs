using LoanOffice.Web.Hosting;
using LoanOffice.Data.Sql;
using LoanOffice.Data.Origination;
using LoanOffice.Data;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using Loan = LoanOffice.Data.Origination.Loan;
using LoanOffice.Domain.Organisation;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LoanOffice.Web.Features.Reports;

public enum ComplianceReport
{
    DailyDisbursement,
    DailyCollection,
    Classification,
    Ageing,
    MaturingLoans,
    OfficerPerformance,
    CustomerList,
    ProfitEstimate,
}

public sealed record ReportFilter(DateOnly From, DateOnly To, Guid? TeamId);

/// <summary>A cell shown through the localizer (an enum's label).</summary>
public sealed record Localized(string Key);

/// <summary>A rate cell (fraction), shown as a percentage with two decimals.</summary>
public sealed record Percent(decimal Value);

/// <summary>A report as shown and exported: column header keys (localized), rows of cells, and the totals row.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows, IReadOnlyList<object?> Totals)
{
    /// <summary>The totals row as shown and exported: its first empty cell says 合计 / Total.</summary>
    public IReadOnlyList<object?> LabelledTotals
    {
        get
        {
            var cells = Totals.ToList();
            var first = cells.IndexOf(null);
            if (first >= 0) cells[first] = new Localized("Rep.Total");
            return cells;
        }
    }
}

/// <summary>
/// Compliance reports over the loan book, within the user's data scope: daily disbursement (放款日报), daily collection
/// (回收日报, by allocation component), the five-level classification by team and class, and overdue ageing buckets. The
/// page and the CSV/Excel exports render the same <see cref="ReportTable"/>, so an export holds exactly what is shown.
/// Each total is the sum of its column's rows.
/// </summary>
public sealed class ComplianceReports(ActorContext context)
{
    public static readonly (string Label, int From, int To)[] Buckets =
        [("1–30", 1, 30), ("31–60", 31, 60), ("61–90", 61, 90), ("91–180", 91, 180), ("181–360", 181, 360), (">360", 361, int.MaxValue)];

    public static Error? Validate(ReportFilter f) =>
        f.To < f.From ? Error.Of(ErrorCodes.ReportEndBeforeStart).At("to")
        : f.To.DayNumber - f.From.DayNumber > 366 ? Error.Of(ErrorCodes.ReportAtMostOneYear).At("to")
        : null;

    public async Task<Result<ReportTable>> RunAsync(ComplianceReport report, ReportFilter filter, CancellationToken ct = default)
    {
        if (Validate(filter) is { } invalid) return invalid;
        var actor = await context.ActorAsync(ct);
        if (actor is null) return ActorContext.NotSignedIn;
        if (!actor.Roles.Overlaps([Roles.Compliance, Roles.GeneralManager, Roles.RegionalDirector])) return Error.Of(ErrorCodes.ReportComplianceOnly);
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var loans = db.Loans.AsNoTracking();
        if (filter.TeamId is { } team) loans = loans.Where(l => l.TeamId == team);
        if (!scope.SeesAll) loans = loans.Where(l => scope.TeamIds.Contains(l.TeamId));
        return report switch
        {
            ComplianceReport.DailyDisbursement => await DisbursementAsync(db, loans, filter, ct),
            ComplianceReport.DailyCollection => await CollectionAsync(db, loans, filter, ct),
            ComplianceReport.Classification => await ClassificationAsync(db, loans, ct),
            ComplianceReport.Ageing => await AgeingAsync(loans, ct),
            ComplianceReport.MaturingLoans => await MaturingAsync(db, loans, filter, ct),
            ComplianceReport.OfficerPerformance => await OfficersAsync(db, loans, filter, ct),
            ComplianceReport.CustomerList => await CustomersAsync(db, loans, ct),
            _ => await ProfitAsync(db, loans, filter, ct),
        };
    }

    private static async Task<ReportTable> DisbursementAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, ReportFilter f, CancellationToken ct)
    {
        var rows = await (from l in loans
                          where l.DisbursedOn >= f.From && l.DisbursedOn <= f.To
                          join c in db.Customers on l.CustomerId equals c.Id
                          join t in db.Teams on l.TeamId equals t.Id
                          orderby l.DisbursedOn, l.Number
                          select new { l.DisbursedOn, l.Number, Customer = c.Name, Team = t.Name, l.Principal, l.AnnualRate, l.Months, l.Method }).ToListAsync(ct);
        return new ReportTable(
            ["Rep.Date", "Rep.Loan", "Rep.Customer", "Rep.Team", "Rep.Amount", "Rep.Rate", "Rep.Months", "Rep.Method"],
            rows.Select(r => (IReadOnlyList<object?>)[r.DisbursedOn, r.Number, r.Customer, r.Team, r.Principal, new Percent(r.AnnualRate), r.Months, new Localized("Method." + r.Method)]).ToList(),
            [null, rows.Count, null, null, rows.Sum(r => r.Principal), null, null, null]);
    }

    private static async Task<ReportTable> CollectionAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, ReportFilter f, CancellationToken ct)
    {
        var payments = await (from t in db.LoanTransactions.AsNoTracking()
                              join l in loans on t.LoanId equals l.Id
                              join c in db.Customers on l.CustomerId equals c.Id
                              where t.ReversedAt == null && t.ValueDate >= f.From && t.ValueDate <= f.To
                              orderby t.ValueDate, l.Number, t.PostedAt
                              select new { t.ValueDate, l.Number, Customer = c.Name, t.Channel, t.ExternalReference, t.Amount, t.Allocation }).ToListAsync(ct);
        var rows = payments.Select(p =>
        {
            var lines = System.Text.Json.JsonSerializer.Deserialize<List<AllocationJson>>(p.Allocation ?? "[]", Json) ?? [];
            decimal Of(params AllocationComponent[] components) => lines.Where(l => components.Any(c => c.ToString() == l.Component)).Sum(l => l.Amount);
            return (IReadOnlyList<object?>)[p.ValueDate, p.Number, p.Customer, new Localized("Channel." + p.Channel), p.ExternalReference, p.Amount,
                Of(AllocationComponent.OverduePrincipal, AllocationComponent.CurrentPrincipal), Of(AllocationComponent.OverdueInterest, AllocationComponent.CurrentInterest),
                Of(AllocationComponent.Penalty), Of(AllocationComponent.Compound)];
        }).ToList();
        decimal Sum(int column) => rows.Sum(r => (decimal)r[column]!);
        return new ReportTable(
            ["Rep.Date", "Rep.Loan", "Rep.Customer", "Rep.Channel", "Rep.Reference", "Rep.Amount", "Rep.Principal", "Rep.Interest", "Rep.Penalty", "Rep.Compound"],
            rows, [null, rows.Count, null, null, null, Sum(5), Sum(6), Sum(7), Sum(8), Sum(9)]);
    }

    private static async Task<ReportTable> ClassificationAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, CancellationToken ct)
    {
        var groups = await (from l in loans.Where(l => Loan.OpenStatuses.Contains(l.Status))
                            join t in db.Teams on l.TeamId equals t.Id
                            group l by new { Team = t.Name, l.Class } into g
                            select new { g.Key.Team, g.Key.Class, Count = g.Count(), Outstanding = g.Sum(l => l.Installments.Sum(i => i.Principal - i.PrincipalPaid)) })
            .ToListAsync(ct);
        var rows = groups.OrderBy(g => g.Team).ThenBy(g => g.Class)
            .Select(g => (IReadOnlyList<object?>)[g.Team, new Localized("Class." + g.Class), g.Count, g.Outstanding]).ToList();
        return new ReportTable(["Rep.Team", "Rep.Class", "Rep.Count", "Rep.Outstanding"], rows,
            [null, null, groups.Sum(g => g.Count), groups.Sum(g => g.Outstanding)]);
    }

    private static async Task<ReportTable> AgeingAsync(IQueryable<Data.Origination.Loan> loans, CancellationToken ct)
    {
        var overdue = await loans.Where(l => Loan.OpenStatuses.Contains(l.Status) && l.DaysPastDue > 0)
            .Select(l => new
            {
                l.DaysPastDue,
                Outstanding = l.Installments.Sum(i => i.Principal - i.PrincipalPaid),
                Overdue = l.Installments.Where(i => LoanRulesSql.IsOverdue(i.DueDate, l.GraceDays, i.Principal - i.PrincipalPaid, i.Interest - i.InterestPaid, l.ClosedThrough)).Sum(i => i.Principal - i.PrincipalPaid + i.Interest - i.InterestPaid),
            }).ToListAsync(ct);
        var rows = Buckets.Select(b =>
        {
            var inBucket = overdue.Where(o => o.DaysPastDue >= b.From && o.DaysPastDue <= b.To).ToList();
            return (IReadOnlyList<object?>)[b.Label, inBucket.Count, inBucket.Sum(o => o.Outstanding), inBucket.Sum(o => o.Overdue)];
        }).ToList();
        return new ReportTable(["Rep.Bucket", "Rep.Count", "Rep.Outstanding", "Rep.OverdueAmount"], rows,
            [null, overdue.Count, overdue.Sum(o => o.Outstanding), overdue.Sum(o => o.Overdue)]);
    }

    private static async Task<ReportTable> MaturingAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, ReportFilter f, CancellationToken ct)
    {
        var rows = await (from l in loans.Where(l => Loan.OpenStatuses.Contains(l.Status))
                          let maturity = l.Installments.Max(i => i.DueDate)
                          where maturity >= f.From && maturity <= f.To
                          join c in db.Customers on l.CustomerId equals c.Id
                          join t in db.Teams on l.TeamId equals t.Id
                          orderby maturity, l.Number
                          select new
                          {
                              Maturity = maturity, l.Number, Customer = c.Name, Team = t.Name,
                              Officer = db.Users.Where(u => u.Id == l.OfficerId).Select(u => u.DisplayName).FirstOrDefault(),
                              Outstanding = l.Installments.Sum(i => i.Principal - i.PrincipalPaid), l.Class,
                          }).ToListAsync(ct);
        return new ReportTable(["Rep.Maturity", "Rep.Loan", "Rep.Customer", "Rep.Team", "Rep.Officer", "Rep.Outstanding", "Rep.Class"],
            rows.Select(r => (IReadOnlyList<object?>)[r.Maturity, r.Number, r.Customer, r.Team, r.Officer ?? "—", r.Outstanding, new Localized("Class." + r.Class)]).ToList(),
            [null, rows.Count, null, null, null, rows.Sum(r => r.Outstanding), null]);
    }

    private static async Task<ReportTable> OfficersAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, ReportFilter f, CancellationToken ct)
    {
        var perLoan = await loans.Select(l => new
        {
            l.OfficerId, l.Status, l.Principal, l.DisbursedOn, l.DaysPastDue,
            Outstanding = l.Installments.Sum(i => i.Principal - i.PrincipalPaid),
            Collected = db.LoanTransactions.Where(t => t.LoanId == l.Id && t.ReversedAt == null && t.ValueDate >= f.From && t.ValueDate <= f.To).Sum(t => t.Amount),
        }).ToListAsync(ct);
        var names = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var rows = perLoan.GroupBy(l => l.OfficerId).Select(g =>
        {
            var disbursed = g.Where(l => l.DisbursedOn >= f.From && l.DisbursedOn <= f.To).ToList();
            var active = g.Where(l => Loan.OpenStatuses.Contains(l.Status)).ToList();
            var outstanding = active.Sum(l => l.Outstanding);
            var overdueOutstanding = active.Where(l => l.DaysPastDue > 0).Sum(l => l.Outstanding);
            return (IReadOnlyList<object?>)[g.Key is { } id && names.TryGetValue(id, out var n) ? n : "—", disbursed.Count, disbursed.Sum(l => l.Principal), active.Count,
                outstanding, active.Count(l => l.DaysPastDue > 0), overdueOutstanding, new Percent(outstanding == 0 ? 0m : Math.Round(overdueOutstanding / outstanding, 4)), g.Sum(l => l.Collected)];
        }).OrderBy(r => (string)r[0]!, StringComparer.Ordinal).ToList();
        decimal D(int i) => rows.Sum(r => (decimal)r[i]!);
        int I(int i) => rows.Sum(r => (int)r[i]!);
        return new ReportTable(["Rep.Officer", "Rep.DisbursedCount", "Rep.DisbursedAmount", "Rep.ActiveCount", "Rep.Outstanding", "Rep.OverdueCount", "Rep.OverdueOutstanding", "Rep.OverdueRatio", "Rep.Collected"],
            rows, [null, I(1), D(2), I(3), D(4), I(5), D(6), new Percent(D(4) == 0 ? 0m : Math.Round(D(6) / D(4), 4)), D(8)]);
    }

    private static async Task<ReportTable> CustomersAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, CancellationToken ct)
    {
        var perLoan = await loans.Where(l => Loan.OpenStatuses.Contains(l.Status))
            .Select(l => new { l.CustomerId, Outstanding = l.Installments.Sum(i => i.Principal - i.PrincipalPaid), l.DaysPastDue }).ToListAsync(ct);
        var ids = perLoan.Select(l => l.CustomerId).Distinct().ToList();
        var customers = await (from c in db.Customers.AsNoTracking() where ids.Contains(c.Id) join t in db.Teams on c.TeamId equals t.Id
                               select new { c.Id, c.Name, c.ResidentIdMasked, c.MobileMasked, c.District, Team = t.Name }).ToDictionaryAsync(c => c.Id, ct);
        var rows = perLoan.GroupBy(l => l.CustomerId).Select(g => new
        {
            customers[g.Key].Name, customers[g.Key].ResidentIdMasked, customers[g.Key].MobileMasked, customers[g.Key].District, customers[g.Key].Team,
            Loans = g.Count(), Outstanding = g.Sum(l => l.Outstanding), Worst = g.Max(l => l.DaysPastDue),
        }).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.ResidentIdMasked, StringComparer.Ordinal).ToList();
        return new ReportTable(["Rep.Customer", "Rep.ResidentId", "Rep.Mobile", "Rep.District", "Rep.Team", "Rep.Count", "Rep.Outstanding", "Rep.MaxDpd"],
            rows.Select(r => (IReadOnlyList<object?>)[r.Name, r.ResidentIdMasked, r.MobileMasked, r.District, r.Team, r.Loans, r.Outstanding, r.Worst]).ToList(),
            [rows.Count, null, null, null, null, rows.Sum(r => r.Loans), rows.Sum(r => r.Outstanding), null]);
    }

    /// <summary>
    /// Income of the period: contractual interest falling due, penalty and compound interest accrued by the close
    /// (summed, then rounded to the fen), against what payments in the period allocated to each.
    /// </summary>
    private static async Task<ReportTable> ProfitAsync(LoanOfficeDbContext db, IQueryable<Data.Origination.Loan> loans, ReportFilter f, CancellationToken ct)
    {
        var interestDue = await loans.SelectMany(l => l.Installments).Where(i => i.DueDate >= f.From && i.DueDate <= f.To).SumAsync(i => (decimal?)i.Interest, ct) ?? 0m;
        var accruals = await (from a in db.LoanAccruals join l in loans on a.LoanId equals l.Id
                              where a.BusinessDate >= f.From && a.BusinessDate <= f.To
                              group a by a.Kind into g select new { g.Key, Sum = g.Sum(a => a.Amount) }).ToListAsync(ct);
        var allocations = await (from t in db.LoanTransactions join l in loans on t.LoanId equals l.Id
                                 where t.ReversedAt == null && t.ValueDate >= f.From && t.ValueDate <= f.To
                                 select t.Allocation).ToListAsync(ct);
        var lines = allocations.SelectMany(a => System.Text.Json.JsonSerializer.Deserialize<List<AllocationJson>>(a ?? "[]", Json) ?? []).ToList();
        decimal Received(params AllocationComponent[] c) => lines.Where(l => c.Any(x => x.ToString() == l.Component)).Sum(l => l.Amount);
        decimal Accrued(Data.Servicing.AccrualKind kind) => MoneyRules.RoundToFen(accruals.Where(a => a.Key == kind).Sum(a => a.Sum));
        List<IReadOnlyList<object?>> rows =
        [
            [new Localized("Rep.Interest"), interestDue, Received(AllocationComponent.OverdueInterest, AllocationComponent.CurrentInterest)],
            [new Localized("Rep.Penalty"), Accrued(Data.Servicing.AccrualKind.Penalty), Received(AllocationComponent.Penalty)],
            [new Localized("Rep.Compound"), Accrued(Data.Servicing.AccrualKind.Compound), Received(AllocationComponent.Compound)],
        ];
        return new ReportTable(["Rep.Income", "Rep.Accrued", "Rep.Received"], rows, [null, rows.Sum(r => (decimal)r[1]!), rows.Sum(r => (decimal)r[2]!)]);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private sealed record AllocationJson(string Component, int? Installment, decimal Amount);
}

/// <summary>How report cells print, on the page and in the exports alike.</summary>
public static class ReportCells
{
    public static string Text(object? cell, Microsoft.Extensions.Localization.IStringLocalizer localizer, bool grouped = true) => cell switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        decimal m => m.ToString(grouped ? "#,##0.00" : "0.00", System.Globalization.CultureInfo.InvariantCulture),
        Percent p => grouped ? (p.Value * 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %"
            : p.Value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), // exports keep a rate a number (a fraction)
        Localized l => localizer[l.Key],
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
