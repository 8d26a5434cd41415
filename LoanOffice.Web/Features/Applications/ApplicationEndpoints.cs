using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

public static class ApplicationEndpoints
{
    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/applications").RequireAuthorization(Policies.Staff).WithTags("Applications");

        // A document of an application, shown inline in the browser; scope-checked like the application itself.
        group.MapGet("/{id:guid}/documents/{documentId:guid}", async (Guid id, Guid documentId, ApplicationQueries queries, OriginationContext context) =>
        {
            var detail = await queries.DetailAsync(id);
            if (!detail.IsSuccess) return Problems.From(detail.Error!);
            var doc = detail.Value!.Documents.FirstOrDefault(d => d.Id == documentId);
            if (doc is null) return Problems.From(new LoanOffice.Domain.Common.Error("not_found", "The document does not exist."));
            await using var db = await context.OpenAsync();
            var bytes = await db.ApplicationDocumentContents.Where(c => c.DocumentId == documentId).Select(c => c.Content).SingleAsync();
            return Results.File(bytes, doc.ContentType, enableRangeProcessing: false);
        });

        group.MapGet("/{id:guid}", async (Guid id, ApplicationQueries queries) =>
        {
            var detail = await queries.DetailAsync(id);
            if (!detail.IsSuccess) return Problems.From(detail.Error!);
            var r = detail.Value!.Row;
            return Results.Ok(new { r.Id, r.Number, r.ApplicantName, r.TeamName, r.ProductCode, r.Amount, r.Months, State = r.State.ToString(), r.StateSince });
        });
        return app;
    }
}
