using LoanOffice.Web.Hosting;
using LoanOffice.Domain.Common;
using LoanOffice.Domain.Loans;
using LoanOffice.Web.Components.Shared;
using MudBlazor;

namespace LoanOffice.Web.Features.Calculator;

public partial class CalculatorPage
{
    private RepaymentMethod _method = RepaymentMethod.EqualInstallment;
    private decimal? _principal = 100_000m;
    private decimal? _ratePercent = 12m;
    private int? _months = 12;
    private DateTime? _start;

    protected override void OnInitialized() => _start = Fmt.ChinaToday(Clock);
    private RepaymentSchedule? _schedule;
    private Error? _error;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];

    private bool Has(string field) => _error?.Field == field;
    private string? ErrorOf(string field) => Has(field) ? ErrorText.Render(_error!) : null;

    private void Calculate()
    {
        var result = ScheduleRequest.FromPercent(_method.ToString(), _principal, _ratePercent, _months,
            _start?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        _error = result.Error;
        _schedule = result.Value;
        if (_schedule is null) return;
        var lines = _schedule.Installments;
        _labels = lines.Select(l => l.Number % Math.Max(1, lines.Count / 12) == 0 || lines.Count <= 12 ? l.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty).ToArray();
        _series =
        [
            ChartData.Series(L["Calc.Principal"], lines.Select(l => l.Principal)),
            ChartData.Series(L["Calc.Interest"], lines.Select(l => l.Interest)),
        ];
    }
}
