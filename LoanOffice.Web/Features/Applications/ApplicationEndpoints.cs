using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

public static class ApplicationEndpoints
{
    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/applications").RequireAuthorization(Policies.Staff).WithTags("Applications");

        // A document of an application, shown inline in the browser, and an image's thumbnail; scope-checked like the application.
        group.MapGet("/{id:guid}/documents/{documentId:guid}", async (Guid id, Guid documentId, ApplicationQueries queries, CancellationToken ct) =>
            File(await queries.DocumentAsync(id, documentId, thumbnail: false, ct)));
        group.MapGet("/{id:guid}/documents/{documentId:guid}/thumbnail", async (Guid id, Guid documentId, ApplicationQueries queries, HttpContext http, CancellationToken ct) =>
        {
            var file = await queries.DocumentAsync(id, documentId, thumbnail: true, ct);
            if (file.IsSuccess) http.Response.Headers.CacheControl = "private, max-age=3600"; // a document never changes
            return File(file);
        });

        // 审批报告: generated, recorded (number, hash, who, when) and downloaded; anyone who can see the application
        group.MapGet("/{id:guid}/approval-report.pdf", async (Guid id, Reports.ApprovalReportService reports, HttpContext http, CancellationToken ct) =>
        {
            var report = await reports.GenerateAsync(id, $"{http.Request.Scheme}://{http.Request.Host}", ct);
            return report.IsSuccess
                ? Results.File(report.Value!.Pdf, "application/pdf", report.Value.Number + ".pdf")
                : Problems.From(report.Error!);
        });

        // The moves of the state machine's table that need a reason: reject, withdraw, return-for-documents (role, scope and
        // the version the caller saw are checked by the workflow; 409 when the file changed meanwhile)
        group.MapPost("/{id:guid}/moves/{name}", async (Guid id, string name, MoveRequest body, ApplicationWorkflow workflow) =>
        {
            if (!TransitionButtons.ReasonMoves.Contains(name))
                return Problems.From(LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.NotOneOf, name, string.Join(", ", TransitionButtons.ReasonMoves)).At("name"));
            var result = name switch
            {
                "reject" => await workflow.RejectAsync(id, body.Reason, body.Version),
                "withdraw" => await workflow.WithdrawAsync(id, body.Reason, body.Version),
                _ => await workflow.ReturnAsync(id, body.Reason, body.Version),
            };
            return result.IsSuccess ? Results.NoContent() : Problems.From(result.Error!);
        });

        group.MapGet("/{id:guid}", async (Guid id, ApplicationQueries queries) =>
        {
            var detail = await queries.DetailAsync(id);
            if (!detail.IsSuccess) return Problems.From(detail.Error!);
            var r = detail.Value!.Row;
            return Results.Ok(new { r.Id, r.Number, r.ApplicantName, r.TeamName, r.ProductCode, r.Amount, r.Months, r.ApprovedAmount, r.ApprovedMonths, State = r.State.ToString(), r.StateSince, r.Version });
        });
        return app;
    }

    private static IResult File(LoanOffice.Domain.Common.Result<DocumentFile> file) =>
        file.IsSuccess ? Results.File(file.Value!.Content, file.Value.ContentType, enableRangeProcessing: false) : Problems.From(file.Error!);

    /// <summary>The body of a move: the reason (required) and the version of the file the caller saw.</summary>
    public sealed record MoveRequest(string? Reason, uint Version);
}
