using LoanOffice.Domain.Common;
using LoanOffice.Web.Features.Servicing;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;

namespace LoanOffice.Web.Features.Api;

/// <param name="Date">The business date to close through (every earlier date still waiting is closed first); yesterday when not given.</param>
public sealed record CloseRequest(DateOnly? Date);

/// <summary>
/// The close of business through the API (Admin, like the Jobs page): start a run through a date — the request is
/// recorded at once and answered with its id — and read its progress: the runs it produced, one per business date,
/// with their counts.
/// </summary>
public static class CloseApiEndpoints
{
    public static IEndpointRouteBuilder MapCloseApiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/close-of-business").RequireAuthorization(Policies.Jobs).WithTags("Close of business");

        group.MapPost("/", async (CloseRequest? body, HttpContext http, JobsQueries jobs) =>
        {
            var date = body?.Date ?? jobs.LastClosableDate;
            var started = await jobs.RunNowAsync(date, "api:" + (http.User.Identity?.Name ?? "?"));
            if (!started.IsSuccess) return Problems.From(started.Error!);
            var status = await jobs.RequestAsync(started.Value);
            return Results.Accepted($"/api/v1/close-of-business/{started.Value}", status);
        }).WithSummary("Starts the close of business through a date (Admin); answers 202 with the request's id and where to follow it")
            .Produces<CloseRequestStatus>(StatusCodes.Status202Accepted).ProducesValidationProblem();

        group.MapGet("/{id:guid}", async (Guid id, JobsQueries jobs, CancellationToken ct) =>
            await jobs.RequestAsync(id, ct) is { } status ? Results.Ok(status) : Problems.From(Error.Of(ErrorCodes.CloseRequestNotFound)))
            .WithSummary("A close-of-business request: Queued, Running, Completed, CompletedWithFailures, Failed or Interrupted, with each date's run and counts")
            .Produces<CloseRequestStatus>().ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}
