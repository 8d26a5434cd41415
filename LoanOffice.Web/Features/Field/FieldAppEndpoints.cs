using LoanOffice.Domain.Common;
using LoanOffice.Domain.Field;
using LoanOffice.Web.Features.Applications;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Hosting;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace LoanOffice.Web.Features.Field;

/// <summary>The officer's work as the app lists it: their open applications and their open collection cases.</summary>
public sealed record FieldTasks(IReadOnlyList<ApplicationRow> Applications, IReadOnlyList<CaseRow> Cases);

/// <summary>A document or photo for an application, taken in the field: the file (Base64) and the photo's own position and time.</summary>
public sealed record FieldDocument(string? DocumentType, string? FileName, string? ContentBase64, double? Latitude, double? Longitude, DateTimeOffset? TakenAt);

/// <summary>An uploaded document and the visit it proves (verified or not).</summary>
public sealed record FieldDocumentStored(Guid DocumentId, VisitRow Visit);

/// <summary>The officers' app, beyond the working day: tasks, visits, documents for a task, leave. Every call signed (<see cref="FieldEndpoints"/>).</summary>
public static class FieldAppEndpoints
{
    public static IEndpointRouteBuilder MapFieldAppEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/field").WithTags("Field work");

        group.MapGet("/tasks", (HttpContext http, FieldService field, ApplicationQueries applications, CollectionsService collections, CancellationToken ct) =>
                FieldEndpoints.SignedAsync(http, field, async caller =>
                {
                    var files = await applications.MyTasksAsync(0, Components.Shared.Paging.MaxPageSize, ct: ct);
                    var cases = await collections.QueueAsync(new CaseFilter(OfficerId: caller.UserId), 0, Components.Shared.Paging.MaxPageSize, ct);
                    return Results.Ok(new FieldTasks(files.Items, cases.Items));
                }, ct))
            .AllowAnonymous().WithSummary("The officer's open applications and collection cases (signed; an empty body is signed as such)")
            .Produces<FieldTasks>().ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/visits", (HttpContext http, FieldService field, FieldVisits visits, IOptions<JsonOptions> json, CancellationToken ct) =>
                FieldEndpoints.SignedAsync<VisitReport>(http, field, json.Value.SerializerOptions, async (_, report) =>
                {
                    var recorded = await visits.RecordAsync(report, ct: ct);
                    return recorded.IsSuccess ? Results.Created($"/api/v1/field/visits/{recorded.Value!.Id}", recorded.Value) : Problems.From(recorded.Error!);
                }, ct))
            .AllowAnonymous().Accepts<VisitReport>("application/json")
            .WithSummary("A visit at the customer of one of the officer's tasks; verified when the track (or the photo) was within the radius then (signed)")
            .Produces<VisitRow>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesValidationProblem();

        group.MapPost("/applications/{id:guid}/documents", (Guid id, HttpContext http, FieldService field, ApplicationWorkflow workflow, FieldVisits visits,
                IOptions<JsonOptions> json, TimeProvider clock, CancellationToken ct) =>
                FieldEndpoints.SignedAsync<FieldDocument>(http, field, json.Value.SerializerOptions, async (_, doc) =>
                {
                    byte[] content;
                    try
                    {
                        content = Convert.FromBase64String(doc.ContentBase64 ?? "");
                    }
                    catch (FormatException)
                    {
                        return Problems.From(Error.Of(ErrorCodes.DocumentType).At("contentBase64"));
                    }

                    var stored = await workflow.UploadAsync(id, new UploadedFile(doc.FileName ?? "photo.jpg", doc.DocumentType ?? "", content));
                    if (!stored.IsSuccess) return Problems.From(stored.Error!);
                    var visit = await visits.RecordAsync(new VisitReport(VisitKind.Document, id, null, doc.TakenAt ?? clock.GetUtcNow(),
                        PhotoLatitude: doc.Latitude, PhotoLongitude: doc.Longitude, PhotoAt: doc.TakenAt), stored.Value, ct: ct);
                    return visit.IsSuccess
                        ? Results.Created($"/applications/{id}", new FieldDocumentStored(stored.Value, visit.Value!))
                        : Problems.From(visit.Error!);
                }, ct))
            .AllowAnonymous().Accepts<FieldDocument>("application/json")
            .WithSummary("A document or photo for the officer's application (the origination upload), with the photo's position and time: it also records a verified or unverified visit (signed)")
            .Produces<FieldDocumentStored>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesValidationProblem();

        group.MapGet("/leave", (HttpContext http, FieldService field, LeaveService leave, CancellationToken ct) =>
                FieldEndpoints.SignedAsync(http, field, async _ =>
                {
                    var mine = await leave.MineAsync(ct);
                    return mine.IsSuccess ? Results.Ok(mine.Value) : Problems.From(mine.Error!);
                }, ct))
            .AllowAnonymous().WithSummary("The officer's leave requests (signed)").Produces<IReadOnlyList<LeaveRow>>();

        group.MapPost("/leave", (HttpContext http, FieldService field, LeaveService leave, IOptions<JsonOptions> json, CancellationToken ct) =>
                FieldEndpoints.SignedAsync<LeaveForm>(http, field, json.Value.SerializerOptions, async (_, form) =>
                {
                    var asked = await leave.RequestAsync(form, "app", ct);
                    return asked.IsSuccess ? Results.Created($"/field/leave", asked.Value) : Problems.From(asked.Error!);
                }, ct))
            .AllowAnonymous().Accepts<LeaveForm>("application/json")
            .WithSummary("请假 from the app: goes to the team lead, or past the lead's limit to the regional director (signed)")
            .Produces<LeaveRow>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesValidationProblem();

        return app;
    }
}
