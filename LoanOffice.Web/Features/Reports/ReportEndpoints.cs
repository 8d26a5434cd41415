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

        // all approval reports of a period (and team) as one ZIP, streamed as the reports are made
        app.MapGet("/api/v1/reports/approval-reports.zip", async (HttpContext http, DateOnly? from, DateOnly? to, Guid? team, ReportBundleService bundles, CancellationToken ct) =>
        {
            if (from is null || to is null) return Problems.Validation(from is null ? "from" : "to", "Give the period: from and to (yyyy-MM-dd).");
            var filter = new BundleFilter(from.Value, to.Value, team);
            if (ReportBundleService.Validate(filter) is { } invalid) return Problems.From(invalid);
            // ZipArchive writes synchronously; the body is written entry by entry, never held whole
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            http.Response.ContentType = "application/zip";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"approval-reports-{from:yyyyMMdd}-{to:yyyyMMdd}.zip\"";
            await bundles.WriteZipAsync(filter, http.Response.Body, $"{http.Request.Scheme}://{http.Request.Host}", ct: ct);
            return Results.Empty;
        }).RequireAuthorization(Policies.Reports).WithTags("Reports");
        return app;
    }
}
