using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;

namespace LoanOffice.Web.Features.Reports;

public static class ReportEndpoints
{

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // a loan's contract, IOU and collection notice, scope-checked like the loan page
        app.MapGet("/api/v1/loans/{id:guid}/documents/{kind}", async (Guid id, string kind, LoanDocumentsService documents, CancellationToken ct) =>
        {
            LoanDocumentKind? parsed = kind switch
            {
                "contract.pdf" => LoanDocumentKind.Contract,
                "iou.pdf" => LoanDocumentKind.Iou,
                "collection-notice.pdf" => LoanDocumentKind.CollectionNotice,
                _ => null,
            };
            if (parsed is null) return Problems.From(new Domain.Common.Error("not_found", "Documents are contract.pdf, iou.pdf and collection-notice.pdf."));
            var pdf = await documents.RenderAsync(id, parsed.Value, ct);
            return pdf.IsSuccess ? Results.File(pdf.Value.Pdf, "application/pdf", pdf.Value.FileName) : Problems.From(pdf.Error!);
        }).RequireAuthorization(Policies.Loans).WithTags("Loans");

        // the receipt of one posted payment (reversed ones print marked as reversed)
        app.MapGet("/api/v1/loans/{id:guid}/repayments/{transactionId:guid}/receipt.pdf", async (Guid id, Guid transactionId, LoanDocumentsService documents, CancellationToken ct) =>
        {
            var pdf = await documents.RenderReceiptAsync(id, transactionId, ct);
            return pdf.IsSuccess ? Results.File(pdf.Value.Pdf, "application/pdf", pdf.Value.FileName) : Problems.From(pdf.Error!);
        }).RequireAuthorization(Policies.Loans).WithTags("Loans");

        // all approval reports of a period (and team) as one ZIP, streamed as the reports are made
        app.MapGet("/api/v1/reports/approval-reports.zip", async (HttpContext http, DateOnly? from, DateOnly? to, Guid? team, Guid? progress,
            ReportBundleService bundles, BundleProgress states, CancellationToken ct) =>
        {
            if (from is null || to is null) return Problems.Validation(from is null ? "from" : "to", "Give the period: from and to (yyyy-MM-dd).");
            var filter = new BundleFilter(from.Value, to.Value, team);
            if (ReportBundleService.Validate(filter) is { } invalid) return Problems.From(invalid);
            // ZipArchive writes synchronously; the body is written entry by entry, never held whole
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            http.Response.ContentType = "application/zip";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"approval-reports-{from:yyyyMMdd}-{to:yyyyMMdd}.zip\"";
            var done = 0;
            var total = 0;
            try
            {
                await bundles.WriteZipAsync(filter, http.Response.Body,
                    (d, t) => { (done, total) = (d, t); if (progress is { } p) states.Report(p, d, t); }, ct);
            }
            finally
            {
                if (progress is { } p) states.Report(p, done, total, finished: true);
            }

            return Results.Empty;
        }).RequireAuthorization(Policies.Reports).WithTags("Reports");

        // compliance reports: exactly the table the page shows, as CSV or Excel, headers in the user's language
        app.MapGet("/api/v1/reports/{name}.{format}", async (HttpContext http, string name, string format, DateOnly? from, DateOnly? to, Guid? team,
            ComplianceReports reports, Microsoft.Extensions.Localization.IStringLocalizer<Resources.SharedResource> l, CancellationToken ct) =>
        {
            if (!Enum.TryParse<ComplianceReport>(name, ignoreCase: true, out var report) || format is not ("csv" or "xlsx"))
                return Problems.From(Domain.Common.Error.Of(Domain.Common.ErrorCodes.ReportNotFound, string.Join(", ", Enum.GetNames<ComplianceReport>())));
            if (from is null || to is null) return Problems.From(Domain.Common.Error.Of(Domain.Common.ErrorCodes.ReportPeriodRequired).At(from is null ? "from" : "to"));
            var table = await reports.RunAsync(report, new ReportFilter(from.Value, to.Value, team), ct);
            if (!table.IsSuccess) return Problems.From(table.Error!);
            var t = table.Value!;
            var headers = t.Columns.Select(c => l[c].Value).ToList();
            var file = $"{report}-{from:yyyyMMdd}-{to:yyyyMMdd}.{format}";
            if (format == "csv")
            {
                var csv = new System.Text.StringBuilder();
                csv.AppendLine(string.Join(',', headers.Select(CsvText.Cell)));
                foreach (var row in t.Rows.Append(t.LabelledTotals))
                    csv.AppendLine(string.Join(',', row.Select(c => CsvText.Cell(ReportCells.Text(c, l, grouped: false)))));
                return Results.File(new System.Text.UTF8Encoding(true).GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", file);
            }

            var rows = t.Rows.Append(t.LabelledTotals).Select(row => headers.Zip(row).ToDictionary(p => p.First,
                p => p.Second switch { decimal or int => p.Second, Percent rate => rate.Value, _ => (object)CsvText.Neutral(ReportCells.Text(p.Second, l, grouped: false)) }));
            var stream = new MemoryStream();
            await MiniExcelLibs.MiniExcel.SaveAsAsync(stream, rows, cancellationToken: ct);
            stream.Position = 0;
            return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file);
        }).RequireAuthorization(Policies.Reports).WithTags("Reports");
        return app;
    }
}
