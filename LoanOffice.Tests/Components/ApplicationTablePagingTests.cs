using Bunit;
using LoanOffice.Domain.Applications;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using Shouldly;

namespace LoanOffice.Tests.Components;

/// <summary>Lists that can grow (team pool, my tasks, finance desk, approvals) are paged and searched on the server: one page shown, the total in the pager.</summary>
public class ApplicationTablePagingTests : ComponentTestBase
{
    private static ApplicationRow Row(int i) => new(Guid.NewGuid(), $"SQ2026120100{i:0000}", "张伟", "杭州团队", "CREDIT", 100_000m, 12, null, null,
        ApplicationState.Pool, DateTimeOffset.UtcNow.AddHours(-i), DateTimeOffset.UtcNow.AddHours(-i), null, null, 1);

    [Fact]
    public async Task AGrowingList_ShowsOnePageOf25_AndAsksTheServerForTheNextOne_AndForWhatIsSearched()
    {
        var asked = new List<(int Page, int Size, string? Search)>();
        var all = Enumerable.Range(1, 56).Select(Row).ToList();
        var table = Render<ApplicationTable>(p => p
            .Add(t => t.Load, (page, size, search, _) =>
            {
                asked.Add((page, size, search));
                var found = all.Where(r => search is null || r.Number.StartsWith(search, StringComparison.OrdinalIgnoreCase)).ToList();
                return Task.FromResult(new PagedResult<ApplicationRow>(found.Skip(page * size).Take(size).ToList(), found.Count, page, size));
            })
            .Add(t => t.Test, "pool-table"));

        table.WaitForAssertion(() => table.FindAll("[data-test=app-link]").Count.ShouldBe(25));
        asked.ShouldBe([(0, 25, null)], "the first page only");
        table.Markup.ShouldContain("56");
        table.FindAll("[data-test=app-link]")[0].TextContent.ShouldBe(all[0].Number);

        // the search box asks the server again, from the first page, with what was typed
        // found and typed in one dispatch: a re-render between the two would drop the handler
        await table.InvokeAsync(() => table.Find("#pool-table-search").Input(all[41].Number.ToLowerInvariant()));
        table.WaitForAssertion(() => table.FindAll("[data-test=app-link]").Count.ShouldBe(1), TimeSpan.FromSeconds(3));
        asked[^1].ShouldBe((0, 25, all[41].Number.ToLowerInvariant()));
        table.FindAll("[data-test=app-link]")[0].TextContent.ShouldBe(all[41].Number);
        await table.InvokeAsync(() => table.Find("#pool-table-search").Input("ZZ"));
        table.WaitForAssertion(() => table.Find("[data-test=empty]").TextContent.ShouldBe("没有与“ZZ”匹配的记录。"), TimeSpan.FromSeconds(3));
    }
}
