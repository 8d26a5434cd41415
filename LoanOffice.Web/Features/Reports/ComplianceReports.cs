using LoanOffice.Data;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
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
}

public sealed record ReportFilter(DateOnly From, DateOnly To, Guid? TeamId);

/// <summary>A cell shown through the localizer (an enum's label).</summary>
public sealed record Localized(string Key);

/// <summary>A rate cell (fraction), shown as a percentage with two decimals.</summary>
public sealed record Percent(decimal Value);

/// <summary>A report as shown and exported: column header keys (localized), rows of cells, and the totals row.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows, IReadOnlyList<object?> Totals);

/// <summary>
/// Compliance reports over the loan book, within the user's data scope: daily disbursement (放款日报), daily collection
/// (回收日报, by allocation component), the five-level classification by team and class, and overdue ageing buckets. The
/// page and the CSV/Excel exports render the same <see cref="ReportTable"/>, so an export holds exactly what is shown.
/// Each total is the sum of its column's rows.
/// </summary>
public sealed class ComplianceReports(OriginationContext context)
{
    public static readonly (string Label, int From, int To)[] Buckets =
        [("1–30", 1, 30), ("31–60", 31, 60), ("61–90", 61, 90), ("91–180", 91, 180), ("181–360", 181, 360), (">360", 361, int.MaxValue)];

    public static Error? Validate(ReportFilter f) =>
        f.To < f.From ? Error.ForField("to", "The end date must not be before the start date.")
        : f.To.DayNumber - f.From.DayNumber > 366 ? Error.ForField("to", "Choose at most one year.")
        : null;

    public async Task<Result<ReportTable>> RunAsync(ComplianceReport report, ReportFilter filter, CancellationToken ct = default)
    {
        if (Validate(filter) is { } invalid) return invalid;
        var actor = await context.ActorAsync(ct);
        if (actor is null) return OriginationContext.NotSignedIn;
        if (!actor.Roles.Overlaps([Roles.Compliance, Roles.GeneralManager])) return Error.Forbidden("Only Compliance and the general manager run compliance reports.");
        var scope = await context.ScopeAsync(ct);
        await using var db = await context.OpenAsync(ct);
        var loans = db.Loans.AsNoTracking().Where(l => l.Status != "Archived");
        if (filter.TeamId is { } team) loans = loans.Where(l => l.TeamId == team);
        if (!scope.SeesAll) loans = loans.Where(l => scope.TeamIds.Contains(l.TeamId));
        return report switch
        {
            ComplianceReport.DailyDisbursement => await DisbursementAsync(db, loans, filter, ct),
            ComplianceReport.DailyCollection => await CollectionAsync(db, loans, filter, ct),
            ComplianceReport.Classification => await ClassificationAsync(db, loans, ct),
            _ => await AgeingAsync(loans, ct),
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
        var groups = await (from l in loans.Where(l => l.Status == "Active")
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
        var overdue = await loans.Where(l => l.Status == "Active" && l.DaysPastDue > 0)
            .Select(l => new
            {
                l.DaysPastDue,
                Outstanding = l.Installments.Sum(i => i.Principal - i.PrincipalPaid),
                Overdue = l.Installments.Where(i => i.DueDate.AddDays(l.GraceDays) < l.ClosedThrough).Sum(i => i.Principal - i.PrincipalPaid + i.Interest - i.InterestPaid),
            }).ToListAsync(ct);
        var rows = Buckets.Select(b =>
        {
            var inBucket = overdue.Where(o => o.DaysPastDue >= b.From && o.DaysPastDue <= b.To).ToList();
            return (IReadOnlyList<object?>)[b.Label, inBucket.Count, inBucket.Sum(o => o.Outstanding), inBucket.Sum(o => o.Overdue)];
        }).ToList();
        return new ReportTable(["Rep.Bucket", "Rep.Count", "Rep.Outstanding", "Rep.OverdueAmount"], rows,
            [null, overdue.Count, overdue.Sum(o => o.Outstanding), overdue.Sum(o => o.Overdue)]);
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
        Percent p => (p.Value * 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %",
        Localized l => localizer[l.Key],
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
