using MudBlazor;

namespace LoanOffice.Web.Components.Shared;

/// <summary>
/// MudBlazor charts plot floating-point values. Amounts stay <c>decimal</c> everywhere else; this is the only place
/// they are converted, and only to position points on a chart (never for a figure a user reads or that is posted).
/// </summary>
public static class ChartData
{
    public static ChartSeries<double> Series(string name, IEnumerable<decimal> values) =>
        new() { Name = name, Data = values.Select(v => (double)v).ToArray() };
}
