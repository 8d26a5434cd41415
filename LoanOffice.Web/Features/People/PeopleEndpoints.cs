using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Hosting;
using LoanOffice.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LoanOffice.Web.Features.People;

public static class PeopleEndpoints
{
    public static IEndpointRouteBuilder MapPeopleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/people").RequireAuthorization(Policies.Staff).WithTags("People");

        group.MapGet("/", async Task<Results<Ok<PagedResult<PersonRow>>, ProblemHttpResult>> (
            PeopleQueries queries, string? search, int page = 0, int pageSize = 50) =>
        {
            if (page < 0) return Problems.Validation("page", "page must be 0 or more.");
            if (pageSize is < 1 or > Paging.MaxPageSize) return Problems.Validation("pageSize", $"pageSize must be between 1 and {Paging.MaxPageSize}.");
            return TypedResults.Ok(await queries.ListAsync(search, page, pageSize));
        });

        group.MapGet("/{id:guid}", async Task<Results<Ok<PersonRow>, ProblemHttpResult>> (Guid id, PeopleQueries queries) =>
        {
            var result = await queries.GetAsync(id);
            return result.IsSuccess ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
        });

        return app;
    }
}
