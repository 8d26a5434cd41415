using LoanOffice.Domain.Loans;
using LoanOffice.Domain.Portfolio;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Security;
using Microsoft.Extensions.Localization;

namespace LoanOffice.Web.Features.Cockpit;

/// <summary>A ratio with its parts and its definition (a fraction, 6 decimals; null with nothing outstanding).</summary>
public sealed record ApiRatio(decimal? Value, decimal Numerator, decimal Denominator, string Formula);

public sealed record ApiClassLine(string Class, int Loans, decimal PrincipalOutstanding);

public sealed record ApiFlow(DateOnly From, DateOnly To, int LoansDisbursed, decimal Disbursed, decimal Collected);

public sealed record ApiFigures(int Loans, decimal PrincipalOutstanding, decimal? AverageOutstanding, decimal Overdue,
    ApiRatio Par1, ApiRatio Par30, ApiRatio Par60, ApiRatio Par90, ApiRatio ArrearsRate, ApiRatio NplRatio, IReadOnlyList<ApiClassLine> Classes);

public sealed record ApiBreakdownRow(Guid? Id, string Name, ApiFigures Figures);

public sealed record ApiStage(string Stage, int Files, int OverSla, int SlaHours, decimal? MedianHoursWaiting);

/// <summary>The pipeline today: files by stage, and this month's flow (received, approved, rejected, withdrawn, disbursed).</summary>
public sealed record ApiPipeline(IReadOnlyList<ApiStage> Stages, int Received, int Approved, int Rejected, int Withdrawn, int Disbursed,
    ApiRatio ApprovalRate, decimal? MedianDaysToDisburse, decimal? P90DaysToDisburse);

/// <summary>What fell due in a period against what was paid by its due date plus grace, and what came in later.</summary>
public sealed record ApiCollections(DateOnly From, DateOnly To, decimal Due, decimal PaidOnTime, decimal RecoveredLate, ApiRatio CollectionRate);

public sealed record ApiDashboard(DateOnly AsOf, bool IncludesExtended, string BreakdownBy, ApiFigures Total,
    ApiFlow ThisMonth, ApiFlow LastMonth, ApiFlow SameMonthLastYear, IReadOnlyList<ApiBreakdownRow> Breakdown, ApiPipeline Pipeline,
    ApiCollections CollectionsThisMonth, ApiCollections CollectionsLastMonth);

public static class CockpitEndpoints
{
    /// <summary>Each ratio's definition, as the tiles show it on hover and the export writes it.</summary>
    public static string Formula(string measure) => measure switch
    {
        "Par1" or "Par30" or "Par60" or "Par90" =>
            $"outstanding principal of open loans more than {measure[3..]} days past due ÷ gross outstanding principal",
        "ArrearsRate" => "unpaid principal and interest of installments past due (after grace) ÷ gross outstanding principal",
        "NplRatio" => "outstanding principal of 次级 + 可疑 + 损失 ÷ gross outstanding principal",
        "CollectionRate" => "principal and interest paid by the due date plus grace ÷ principal and interest falling due in the period",
        "ApprovalRate" => "files approved in approval ÷ files decided there (approved or rejected) this month",
        _ => measure,
    };

    public static ApiFigures ToApi(PortfolioFigures f) => new(f.Loans, f.PrincipalOutstanding, f.AverageOutstanding, f.Overdue,
        R(f.Par[1], "Par1"), R(f.Par[30], "Par30"), R(f.Par[60], "Par60"), R(f.Par[90], "Par90"), R(f.ArrearsRate, "ArrearsRate"), R(f.NplRatio, "NplRatio"),
        f.Classes.Select(c => new ApiClassLine(c.Key.ToString(), c.Value.Loans, c.Value.Principal)).ToList());

    private static ApiRatio R(Ratio r, string measure) =>
        new(r.Value is { } v ? decimal.Round(v, 6, MidpointRounding.AwayFromZero) : null, r.Numerator, r.Denominator, Formula(measure));

    private static ApiCollections C(Collections c) => new(c.From, c.To, c.Due, c.PaidOnTime, c.RecoveredLate, R(c.OnTimeRate, "CollectionRate"));

    private static ApiFlow F(Flow f) => new(f.From, f.To, f.LoansDisbursed, f.Disbursed, f.Collected);

    public static void MapCockpitEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/dashboard", async (DateOnly? asOf, DateOnly? from, Guid? region, Guid? team, string? product, bool? includeExtended,
            PortfolioDashboard dashboard, PipelineDashboard pipelines, CancellationToken ct) =>
        {
            var filter = new CockpitFilter(region, team, string.IsNullOrWhiteSpace(product) ? null : product.Trim(), includeExtended ?? true) { PeriodFrom = from };
            var result = await dashboard.GetAsync(filter, asOf, ct);
            if (!result.IsSuccess) return Problems.From(result.Error!);
            var d = result.Value!;
            var p = (await pipelines.GetAsync(filter, ct)).Value!;
            var pipeline = new ApiPipeline(p.Stages.Select(x => new ApiStage(x.Stage.ToString(), x.Files, x.OverSla, x.SlaHours, x.MedianHoursWaiting)).ToList(),
                p.ThisMonth.Received, p.ThisMonth.Approved, p.ThisMonth.Rejected, p.ThisMonth.Withdrawn, p.ThisMonth.Disbursed,
                R(p.ThisMonth.ApprovalRate, "ApprovalRate"), p.ThisMonth.MedianDaysToDisburse, p.ThisMonth.P90DaysToDisburse);
            return Results.Ok(new ApiDashboard(d.AsOf, d.Filter.IncludeExtended, d.Level.ToString(), ToApi(d.Total),
                F(d.Flows.ThisMonth), F(d.Flows.LastMonth), F(d.Flows.SameMonthLastYear),
                d.Breakdown.Select(b => new ApiBreakdownRow(b.Id, b.Name, ToApi(b.Figures))).ToList(), pipeline,
                C(d.Collections!.ThisMonth), C(d.Collections!.LastMonth)));
        }).RequireAuthorization(Policies.Cockpit).WithTags("Dashboard")
            .WithSummary("The portfolio dashboard in the caller's scope as of the book's last close (or, with asOf, an earlier business date from that night's snapshot; with from, lending and collections from that date to asOf, against the same number of days before and the same dates a year earlier): outstanding, PAR1/30/60/90, arrears rate, NPL ratio, five-level classes, lending and collections, the breakdown, and today's pipeline")
            .Produces<ApiDashboard>().ProducesValidationProblem();

        // the dashboard's figures with their parts and formulas, as Excel (each ratio: value, numerator, denominator, definition)
        app.MapGet("/api/v1/dashboard.xlsx", async (DateOnly? asOf, DateOnly? from, Guid? region, Guid? team, string? product, bool? includeExtended,
            PortfolioDashboard dashboard, IStringLocalizer<Resources.SharedResource> L, CancellationToken ct) =>
        {
            var filter = new CockpitFilter(region, team, string.IsNullOrWhiteSpace(product) ? null : product.Trim(), includeExtended ?? true) { PeriodFrom = from };
            var result = await dashboard.GetAsync(filter, asOf, ct);
            if (!result.IsSuccess) return Problems.From(result.Error!);
            var d = result.Value!;
            string[] columns = [L["Cockpit.Figure"], L["Cockpit.Value"], L["Cockpit.Numerator"], L["Cockpit.Denominator"], L["Cockpit.FormulaColumn"]];
            Dictionary<string, object?> Row(params object?[] values) => SheetRow(columns, values);
            Dictionary<string, object?> RatioRow(string name, Ratio r, string formula) =>
                Row(name, r.Value is { } v ? decimal.Round(v, 6, MidpointRounding.AwayFromZero) : null, r.Numerator, r.Denominator, formula);
            var t = d.Total;
            var rows = new List<Dictionary<string, object?>>
            {
                Row(L["Cockpit.AsOfDate"].Value, Components.Shared.Fmt.Date(d.AsOf), null, null, d.FromSnapshot ? L["Cockpit.FromSnapshot", Components.Shared.Fmt.Date(d.AsOf)].Value : null),
                Row(L["Cockpit.Outstanding"].Value, t.PrincipalOutstanding, null, null, null),
                Row(L["Cockpit.Count"].Value, t.Loans, null, null, null),
                Row(L["Cockpit.AverageOutstanding"].Value, t.AverageOutstanding, t.PrincipalOutstanding, t.Loans, L["Cockpit.AverageFormula"].Value),
            };
            rows.AddRange(Domain.Portfolio.PortfolioQuality.ParDays.Select(n => RatioRow($"PAR{n}", t.Par[n], L["Cockpit.ParFormula", n])));
            rows.Add(RatioRow(L["Cockpit.ArrearsRate"], t.ArrearsRate, L["Cockpit.ArrearsFormula"]));
            rows.Add(RatioRow(L["Cockpit.NplRatio"], t.NplRatio, L["Cockpit.NplFormula"]));
            rows.Add(RatioRow(L["Cockpit.OnTimeRate"], d.Collections!.ThisMonth.OnTimeRate, L["Cockpit.OnTimeFormula"]));
            rows.AddRange(t.Classes.Select(c => Row(L["Class." + c.Key].Value, c.Value.Principal, c.Value.Loans, null, null)));
            rows.AddRange(d.Breakdown.Select(b => RatioRow(b.Name + " · PAR30", b.Figures.Par[30], L["Cockpit.ParFormula", 30])));
            return await XlsxAsync(rows, $"dashboard-{Components.Shared.Fmt.Date(d.AsOf)}.xlsx", ct);
        }).RequireAuthorization(Policies.Cockpit).WithTags("Dashboard")
            .WithSummary("The dashboard's figures as .xlsx: each ratio with its value, numerator, denominator and definition")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").ProducesValidationProblem();

        // the loans behind a cockpit figure (or any loans list filter), as an Excel file; within the caller's scope
        app.MapGet("/api/v1/loans/export.xlsx", async (string? region, string? team, string? officer, string? product, string? method, string? dpdFrom,
            string? classes, string? open, string? extended, string? asOf, LoanQueries loans, IStringLocalizer<Resources.SharedResource> L, CancellationToken ct) =>
        {
            var filter = CockpitLinks.Parse(region, team, officer, product, method, dpdFrom, classes, open, extended, asOf);
            string[] columns = [L["Loans.Number"], L["App.Applicant"], L["App.Team"], L["Loans.Principal"], L["Loans.PrincipalOutstanding"],
                L["Loans.Dpd"], L["Loans.Class"], L["Loans.Status"], L["Loans.Disbursed"]];
            Dictionary<string, object?> Row(params object?[] values) => SheetRow(columns, values);
            var rows = new List<Dictionary<string, object?>>();
            for (var page = 0; rows.Count < ExportLimit; page++)
            {
                var chunk = await loans.ListAsync(filter, page, Components.Shared.Paging.MaxPageSize, ct);
                rows.AddRange(chunk.Items.Select(r => Row(r.Number, r.Customer, r.Team, r.Principal, r.PrincipalOutstanding, r.DaysPastDue,
                    L["Class." + r.Class].Value, L["LoanStatus." + r.Status].Value, Components.Shared.Fmt.Date(r.DisbursedOn))));
                if ((page + 1) * chunk.PageSize >= chunk.Total) break;
            }

            // the totals row: the figure the drill-down came from
            var totals = await loans.TotalsAsync(filter, ct);
            rows.Add(Row(L["Cockpit.DrillTotals", totals.Loans].Value, null, null, null, totals.PrincipalOutstanding, null, null, null, null));
            return await XlsxAsync(rows, "loans.xlsx", ct);
        }).RequireAuthorization(Policies.Loans).WithTags("Loans")
            .WithSummary("The loans a filter finds (the cockpit's drill-downs use it), as .xlsx with a totals row; up to 100,000 rows")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    public const int ExportLimit = 100_000;

    /// <summary>One row of an Excel sheet: every column present (MiniExcel takes the first row's columns), in order.</summary>
    private static Dictionary<string, object?> SheetRow(string[] columns, object?[] values) => columns.Zip(values).ToDictionary(x => x.First, x => Components.Shared.CsvText.SheetCell(x.Second));

    /// <summary>A sheet as an .xlsx download.</summary>
    private static async Task<IResult> XlsxAsync(List<Dictionary<string, object?>> rows, string fileName, CancellationToken ct)
    {
        var stream = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(stream, rows, cancellationToken: ct);
        stream.Position = 0;
        return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);
    }
}
