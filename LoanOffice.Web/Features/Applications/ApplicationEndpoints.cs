using LoanOffice.Domain.Applications;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanOffice.Web.Features.Applications;

public static class ApplicationEndpoints
{
    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/applications").RequireAuthorization(Policies.Staff).WithTags("Applications");

        // A document of an application: an image opens as a copy re-encoded here (nothing but pixels reaches the browser),
        // a PDF and the original bytes download; all under a sandbox policy; scope-checked like the application.
        group.MapGet("/{id:guid}/documents/{documentId:guid}", async (Guid id, Guid documentId, ApplicationQueries queries, HttpContext http, CancellationToken ct) =>
            File(http, await queries.DocumentAsync(id, documentId, DocumentView.Open, ct)));
        group.MapGet("/{id:guid}/documents/{documentId:guid}/original", async (Guid id, Guid documentId, ApplicationQueries queries, HttpContext http, CancellationToken ct) =>
            File(http, await queries.DocumentAsync(id, documentId, DocumentView.Original, ct)));
        group.MapGet("/{id:guid}/documents/{documentId:guid}/thumbnail", async (Guid id, Guid documentId, ApplicationQueries queries, HttpContext http, CancellationToken ct) =>
        {
            var file = await queries.DocumentAsync(id, documentId, DocumentView.Thumbnail, ct);
            if (file.IsSuccess) http.Response.Headers.CacheControl = "private, max-age=3600"; // a document never changes
            return File(http, file);
        });

        // 审批报告: generated and recorded (number, hash, who, when) — or the latest one again while the record still says
        // the same — and downloaded; anyone who can see the application. A POST: recording a report changes state.
        group.MapPost("/{id:guid}/approval-report.pdf", async (Guid id, Reports.ApprovalReportService reports, CancellationToken ct) =>
        {
            var report = await reports.GenerateAsync(id, ct);
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

        // the files in the caller's scope, filtered like the review queue (every stage unless some are asked for)
        group.MapGet("/", async (string? stage, Guid? team, string? product, decimal? minAmount, decimal? maxAmount, string? search, string? sort,
            int? page, int? pageSize, ApplicationQueries queries, CancellationToken ct) =>
        {
            var states = new List<ApplicationState>();
            foreach (var name in (stage ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<ApplicationState>(name, ignoreCase: true, out var state) || !Enum.IsDefined(state))
                    return Problems.From(LoanOffice.Domain.Common.Error.Of(LoanOffice.Domain.Common.ErrorCodes.NotOneOf, name, string.Join(", ", Enum.GetNames<ApplicationState>())).At("stage"));
                states.Add(state);
            }
            var filter = new QueueFilter(states.Count > 0 ? [.. states] : Enum.GetValues<ApplicationState>(), team, product, minAmount, maxAmount, null,
                sort ?? "received", true) { Search = search };
            var list = await queries.QueueAsync(filter, Math.Max(0, page ?? 0), Math.Clamp(pageSize ?? 50, 1, Paging.MaxPageSize), ct);
            return Results.Ok(new { items = list.Items.Select(Api), list.Total, list.Page, list.PageSize });
        }).WithSummary("Applications in the caller's scope: stage=Submitted,PreliminaryReview…, team, product, amount range, search, sort=received|amount|age");

        // one path for a file, by its number (SQ…) or its id
        group.MapGet("/{key}", async (string key, ApplicationQueries queries, CancellationToken ct) =>
        {
            var id = Guid.TryParse(key, out var g) ? g : await queries.IdOfAsync(key, ct);
            if (id is null) return Problems.From(ActorContext.NotFound);
            var detail = await queries.DetailAsync(id.Value, ct);
            return detail.IsSuccess ? Results.Ok(Api(detail.Value!.Row)) : Problems.From(detail.Error!);
        }).WithSummary("An application by its number (SQ…) or its id");
        return app;
    }

    private static IResult File(HttpContext http, LoanOffice.Domain.Common.Result<DocumentFile> file)
    {
        if (!file.IsSuccess) return Problems.From(file.Error!);
        var f = file.Value!;
        // an uploaded file never runs as a page of this site, whatever it contains
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";
        if (!f.Inline) return Results.File(f.Content, f.ContentType, f.FileName, enableRangeProcessing: false);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(f.FileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        return Results.File(f.Content, f.ContentType, enableRangeProcessing: false);
    }

    /// <summary>A file as the API answers it.</summary>
    public sealed record ApiApplication(Guid Id, string Number, string ApplicantName, string TeamName, string ProductCode, decimal Amount, int Months,
        decimal? ApprovedAmount, int? ApprovedMonths, string State, DateTimeOffset StateSince, DateTimeOffset ReceivedAt, string? OfficerName, uint Version);

    private static ApiApplication Api(ApplicationRow r) => new(r.Id, r.Number, r.ApplicantName, r.TeamName, r.ProductCode, r.Amount, r.Months,
        r.ApprovedAmount, r.ApprovedMonths, r.State.ToString(), r.StateSince, r.ReceivedAt, r.OfficerName, r.Version);

    /// <summary>The body of a move: the reason (required) and the version of the file the caller saw.</summary>
    public sealed record MoveRequest(string? Reason, uint Version);
}
