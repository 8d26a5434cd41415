using System.Globalization;

namespace LoanOffice.Domain.Common;

/// <summary>The one place that decides how money is rounded and shown: 元, half away from zero, to the fen.</summary>
public static class MoneyRules
{
    public static decimal RoundToFen(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>¥1,234.56 (negative amounts as -¥1,234.56).</summary>
    public static string FormatCny(decimal amount)
    {
        var rounded = RoundToFen(amount);
        var text = Math.Abs(rounded).ToString("#,##0.00", CultureInfo.InvariantCulture);
        return rounded < 0 ? "-¥" + text : "¥" + text;
    }
}
