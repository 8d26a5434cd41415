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
        return app;
    }
}
