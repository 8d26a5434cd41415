namespace LoanOffice.Web.Components.Shared;

/// <summary>One page of rows plus the total count, for server-side paged grids and APIs.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class Paging
{
    public const int MaxPageSize = 200;

    public static IQueryable<T> Page<T>(this IQueryable<T> query, int page, int pageSize) =>
        query.Skip(Math.Max(page, 0) * pageSize).Take(pageSize);
}
