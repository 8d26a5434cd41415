using Bunit;
using LoanOffice.Domain.Applications;
using LoanOffice.Web.Components.Shared;
using LoanOffice.Web.Features.Applications;
using Shouldly;

namespace LoanOffice.Tests.Components;

/// <summary>Lists that can grow (team pool, my tasks, finance desk) are paged on the server: one page shown, the total in the pager.</summary>
public class ApplicationTablePagingTests : ComponentTestBase
{
    private static ApplicationRow Row(int i) => new(Guid.NewGuid(), $"SQ2026120100{i:0000}", "张伟", "杭州团队", "CREDIT", 100_000m, 12, null, null,
        ApplicationState.Pool, DateTimeOffset.UtcNow.AddHours(-i), DateTimeOffset.UtcNow.AddHours(-i), null, null, 1);

    [Fact]
    public void AGrowingList_ShowsOnePageOf25_AndAsksTheServerForTheNextOne()
    {
        var asked = new List<(int Page, int Size)>();
        var all = Enumerable.Range(1, 56).Select(Row).ToList();
        var table = Render<ApplicationTable>(p => p
            .Add(t => t.Load, (page, size, _) =>
            {
                asked.Add((page, size));
                return Task.FromResult(new PagedResult<ApplicationRow>(all.Skip(page * size).Take(size).ToList(), all.Count, page, size));
            })
            .Add(t => t.Test, "pool-table"));

        table.WaitForAssertion(() => table.FindAll("[data-test=app-link]").Count.ShouldBe(25));
        asked.ShouldBe([(0, 25)], "the first page only");
        table.Markup.ShouldContain("56");
        table.FindAll("[data-test=app-link]")[0].TextContent.ShouldBe(all[0].Number);
    }
}
