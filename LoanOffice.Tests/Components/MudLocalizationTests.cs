using Bunit;
using LoanOffice.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Shouldly;

namespace LoanOffice.Tests.Components;

/// <summary>MudBlazor's own texts (pager) come from the app's resources, in the user's language.</summary>
public class MudLocalizationTests : ComponentTestBase
{
    [Fact]
    public void DataGridPager_InChinese_ShowsChineseRangeAndRowsPerPage()
    {
        Services.AddTransient<MudLocalizer, MudResourceLocalizer>();
        var grid = Render<MudDataGrid<string>>(p => p.Add(g => g.Items, ["a", "b", "c"])
            .Add(g => g.PagerContent, b => { b.OpenComponent<MudDataGridPager<string>>(0); b.CloseComponent(); }));
        grid.Markup.ShouldContain("第 1-3 条，共 3 条");
        grid.Markup.ShouldContain("每页行数");
    }
}
