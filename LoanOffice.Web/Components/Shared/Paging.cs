namespace LoanOffice.Web.Components.Shared;

/// <summary>One page of rows plus the total count, for server-side paged grids and APIs.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>The rows of page <paramref name="page"/> (from 0; a negative page is the first, a page past the end is empty —
    /// page 2,147,483,647 too: the offset is computed without overflowing).</summary>
    public static IQueryable<T> Page<T>(this IQueryable<T> query, int page, int pageSize) =>
        query.Skip(Offset(page, pageSize)).Take(Math.Clamp(pageSize, 1, MaxPageSize));

    public static int Offset(int page, int pageSize) => (int)Math.Min((long)Math.Max(page, 0) * Math.Max(pageSize, 1), int.MaxValue);
}
